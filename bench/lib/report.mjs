// The markdown table written between the markers of bench/README.md.
import { round } from './env.mjs';

export const START = '<!-- bench:results:start -->';
export const END = '<!-- bench:results:end -->';

/** What limits a scenario when its goal is missed (shown next to the figure). */
export const LIMITS = {
  'parquet-schema': 'The footer is larger than 600 KB or needs more than one follow-up read: many row groups × columns. The cost is the footer, not the file.',
  'text-sample': 'The sample ends at `sampleRows` rows or `sampleBytes` of text; rows longer than 1 KB push it towards `sampleBytes` (512 KiB), and a stream may deliver a chunk past the stop.',
  'bucket-ingest':
    'CPU, not requests: counted through the proxy, the ingest sends exactly the same GETs and bytes as the SDK minimum (one ranged GET per file, the listing pages). On loopback both sides are CPU-bound (fauxqs takes one of the 2 cores, the client the other); a CPU profile of the ingest shows about a third of its time in the AWS SDK itself (the floor), the rest in sample parsing and type inference, gunzip, record building, the file sink and GC. With a network round trip per request (the 10 ms figure) the per-file CPU hides behind the wait and the ratio drops.',
  'bucket-rss': 'Memory that grows with the number of objects (listing pages held, results waiting for ordering, per-table status).',
  profile:
    "Speed, for the CSV only (goal 2, the Parquet, is met: 1.47–1.73× DuckDB at 190 MB). CSV: 168–195 MB (under the bar), 4.2–4.5 s against DuckDB's 3.7–4.7 s on the same idle machine (0.85–1.11× over seven runs on 2026-12-06, 17:00–18:25 UTC; DuckDB's own time is what moves). Both threads are busy: a CPU profile puts the time in the byte splitter and plain-line scanner, number and timestamp parsing from bytes, hashing for HyperLogLog and the distinct samples, and KLL compaction, against DuckDB's vectorized native code on the same 2 cores. Fixed this session (results identical, asserted by tests): Snappy pages decompressed in place by our own WebAssembly decoder, Parquet plain text as byte ranges, dictionary values counted once per chunk, no boxed doubles in the number loops (and no V8 deopt loop after the exact-to-sketch switch), the calling thread decoding a share instead of a second worker, part and decode buffers reused (allocating them per part had left tens of MB in the malloc arenas), one read ahead on a local disk, a 4 MB young generation in the workers, a number column's distinct sample in typed arrays. Where the Parquet's 190 MB go (`/proc/self/smaps`): the node binary ~41 MB; V8 heaps ~100 MB, of which the main thread's ~70 MB (a 32 MB young generation: V8 grows it to its maximum in any long-running thread and only a start-up flag caps it; `--max-semi-space-size=2` gave the CSV 170–175 MB before the last steps), the worker's ~20 MB; part buffers ~15 MB; the WebAssembly Snappy memories ~7 MB per thread.",
  'shard-scale-out': 'Cores: the shard processes and the S3 emulator share 2 cores here, so more than 2 shards cannot go faster; on separate pods each shard keeps its own rate.',
  'sink-throughput': 'Not the requests: the sink sends the same PUTs as the bare loop (plus its version check and a few GETs; counted by the server). What separates them is client CPU per request (the sink parses every answer as JSON to catch truncated or HTML pages, adapts bodies to the server version and keeps counts), on the 2 cores the in-process test server also uses; single rounds vary by ±5 % on a loaded machine.',
  'incremental-rerun':
    'An unchanged table is skipped on its listing facts (key, ETag, size, last-modified): an object read or a table write in the unchanged re-run means a fingerprint that is not stable between listings.',
  dynamodb:
    "Client CPU per table, not requests: counted through the proxy, the source sends the SDK minimum's requests plus one (the Workflow's connection test, a ListTables of one name). One table at a time, the source's CPU between responses adds to the wall time; a CPU profile puts it in the file sink (JSON, secret redaction, the write), column inference and record building in the plugin, and GC, with dynalite on the same 2 cores.",
  'catalog-scale':
    'Memory kept per object or per table: anything the run holds until it ends (a record, a promise reaction, a status entry) adds up over a million tables. The live heap after a full GC stays at about 18 MB through the run; what is left is V8 letting its heap grow larger between collections in a longer run.',
  'remote-profile':
    "Peak RSS, not speed (S3 / local 0.81–0.87× over four runs on 2026-12-06). The S3 profile peaks 45–50 MB above the same profile of the local file (CSV 223 against 176 MB, Parquet 239 against 192 MB in the merged run), and `node bench/remote-memory.mjs` (2026-12-06 18:40 UTC; the memory at each run's peak RSS) puts the difference in the main thread's malloc arena: CSV 48–54 MB against 11–12 MB locally, Parquet 39 against 2 MB, with 37–46 MB of live ArrayBuffers against 17–19 MB; the V8 heaps are the same size. Those are the HTTP bodies' socket buffers (a 2 MiB range arrives in about 34 of up to 64 KB, each dead once copied into the part, which is itself read into a recycled buffer through `readRangeInto`): V8 frees an ArrayBuffer only when a collection finds it dead, and small young-generation objects holding megabytes off-heap trigger one only after tens of MB (the main thread's young generation is 32 MB; external memory alone triggers a collection at about 64 MB). Reading fewer ranges ahead (2 reads / 4 MiB instead of 4 / 8 MiB) saved 3–4 MB and halved the throughput with 10 ms per request. With 10 ms added per request (not in the ratio) the reads ahead do not hide the round trips at today's local speed (0.59–0.63× local).",
};

const fmtRatio = (r) => (r.value === null || r.value === undefined ? 'n/a' : r.value < 0.01 ? r.value.toExponential(1) : `${round(r.value, 2)}×`);
const esc = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderTable(report) {
  const m = report.machine;
  const lines = [];
  lines.push(
    `Run ${report.date.slice(0, 16).replace('T', ' ')} UTC, ${report.mode} mode (large files ${report.sizeMb} MB), ${report.totalSeconds} s in all. ` +
      `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}. Raw figures: [results/latest.json](results/latest.json).`,
  );
  lines.push('');
  lines.push('| # | scenario | figures | ratio (same run) | goal | result |');
  lines.push('|---|---|---|---|---|---|');
  for (const r of report.results) {
    if (r.crashed) {
      lines.push(`| ${r.n} | ${esc(r.id)} | crashed: ${esc(r.error.slice(0, 300))} | | | **crashed** |`);
      continue;
    }
    const verdict = r.met === true ? '**met**' : r.met === false ? `**missed**: ${esc(r.miss)}` : `**pending**`;
    lines.push(`| ${r.n} | ${esc(r.title)} | ${esc(r.headline)} | ${esc(r.ratio.label)}: **${fmtRatio(r.ratio)}** | ${esc(r.goal)} | ${verdict} |`);
  }
  const missed = report.results.filter((r) => r.met === false || r.met === null || r.crashed);
  if (missed.length > 0) {
    lines.push('');
    lines.push('Missed or pending goals, and what limits them:');
    lines.push('');
    for (const r of missed) {
      if (r.crashed) lines.push(`- **${r.n}. ${r.id}** crashed: ${esc(r.error.slice(0, 500))}`);
      else if (r.met === null) lines.push(`- **${r.n}. ${r.id}** is pending: ${esc(r.figures?.pending ?? r.headline)}.${r.miss && r.miss !== 'pending' ? ` Measured without the Workflow it would miss: ${esc(r.miss)}. ${esc(LIMITS[r.id] ?? '')}` : ''}`);
      else lines.push(`- **${r.n}. ${r.id}** missed: ${esc(r.miss)}. ${esc(LIMITS[r.id] ?? r.limits ?? '')}`);
    }
  }
  return lines.join('\n');
}

export function renderReadme(text, report) {
  const block = `${START}\n${renderTable(report)}\n${END}`;
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a >= 0 && b > a) return text.slice(0, a) + block + text.slice(b + END.length);
  return `${text.trimEnd()}\n\n## Results\n\n${block}\n`;
}
