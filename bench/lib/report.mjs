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
    "CPU on both threads for the CSV: the byte splitter, hashing for HyperLogLog and the distinct samples (about 0.55 s per GB on the worker, not cut without changing the distinct estimates), number and timestamp parsing from bytes, KLL compaction; DuckDB's own time moves between 3.7 and 4.7 s on this machine. Memory: the node binary (~41 MB), the main thread's 32 MB young generation (V8 grows it to its maximum in any long-running thread; holding it small with a V8 flag took 10–20 MB off a profile but made listing-heavy ingests promote garbage and peak higher, so it was not kept), the worker's heap, part buffers and the WebAssembly Snappy memories",
  'shard-scale-out': 'Cores: the shard processes and the S3 emulator share 2 cores here, so more than 2 shards cannot go faster; on separate pods each shard keeps its own rate.',
  'sink-throughput': 'Not the requests: the sink sends the same PUTs as the bare loop (plus its version check and a few GETs; counted by the server). What separates them is client CPU per request (the sink parses every answer as JSON to catch truncated or HTML pages, adapts bodies to the server version and keeps counts), on the 2 cores the in-process test server also uses; single rounds vary by ±5 % on a loaded machine.',
  'incremental-rerun':
    'An unchanged table is skipped on its listing facts (key, ETag, size, last-modified): an object read or a table write in the unchanged re-run means a fingerprint that is not stable between listings.',
  dynamodb:
    "Client CPU per table, not requests: counted through the proxy, the source sends the SDK minimum's requests plus one (the Workflow's connection test, a ListTables of one name). One table at a time, the source's CPU between responses adds to the wall time; a CPU profile puts it in the file sink (JSON, secret redaction, the write), column inference and record building in the plugin, and GC, with dynalite on the same 2 cores.",
  'catalog-scale':
    'Memory kept per object or per table: anything the run holds until it ends (a record, a promise reaction, a status entry) adds up over a million tables. The live heap after a full GC stays at about 18 MB through the run; what is left is V8 letting its heap grow larger between collections in a longer run.',
  'remote-profile':
    "Memory: the S3 SDK itself (its code and heap, loaded for listing and request signing) adds about 10 MB to the local profile's peak; the buffer per socket read is gone since ranged reads go through `Http1Agent`. Speed: client CPU (request signing, the emulator on the same 2 cores). With 10 ms added per request (not in the ratio) the reads ahead (6 MiB: three CSV parts, one Parquet part) do not hide the round trips",
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
