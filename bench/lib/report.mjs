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
    "Peak RSS at the 200 MB bar for the CSV, over it for Parquet; speed within the noise of the shared cores. CSV through the Workflow, four runs on 2026-12-06 after the fix: 188–206 MB (two under 200), 0.87–1.47× DuckDB. The regression (217–237 MB, against 183–187 MB on 2026-11-21) came from checked reads sending every ranged read through the resumable stream (commit 57c1ae0, found by bisecting): each 2 MiB part of a local file arrived as 64 KB stream chunks, each with an idle timer, promises and a copy, about 130 MB of main-thread garbage per GB, which grew the main young generation to its maximum. Stores whose ranged reads are whole (the local store) are read directly again (about 5 MB of main-thread allocation during the scan). What remains: the main process's modules (~75 MB), two worker isolates (~25 MB heap each plus code), the main young generation grown at start-up, and the part bytes in flight and read ahead (up to 8 MiB each). CSV speed: cells are read as byte ranges (numbers, dates and ASCII text hashed and measured without a string per cell, the same results); the workers' time is now in hashing for HyperLogLog and the distinct samples, KLL compaction, the byte splitter and number parsing (17-digit decimals still go through a string), with DuckDB's vectorized native code on the same 2 cores. Parquet: 0.74–1.08× DuckDB at 257–270 MB: two worker isolates decoding text columns through a string per value (hyparquet's pages), the main modules, and the row-group lanes in flight and read ahead (12–18 MB of it: the reads ahead scenario 11 added); decoding Parquet text straight into hashes, a WASM decoder and footer statistics were not tried yet (footer statistics answer min, max and null count, but a default profile needs a scan for the other metrics).",

  'shard-scale-out': 'Cores: the shard processes and the S3 emulator share 2 cores here, so more than 2 shards cannot go faster; on separate pods each shard keeps its own rate.',
  'sink-throughput': 'Not the requests: the sink sends the same PUTs as the bare loop (plus its version check and a few GETs; counted by the server). What separates them is client CPU per request (the sink parses every answer as JSON to catch truncated or HTML pages, adapts bodies to the server version and keeps counts), on the 2 cores the in-process test server also uses; single rounds vary by ±5 % on a loaded machine.',
  'incremental-rerun':
    'An unchanged table is skipped on its listing facts (key, ETag, size, last-modified): an object read or a table write in the unchanged re-run means a fingerprint that is not stable between listings.',
  dynamodb:
    "Client CPU per table, not requests: counted through the proxy, the source sends the SDK minimum's requests plus one (the Workflow's connection test, a ListTables of one name). One table at a time, the source's CPU between responses adds to the wall time; a CPU profile puts it in the file sink (JSON, secret redaction, the write), column inference and record building in the plugin, and GC, with dynalite on the same 2 cores.",
  'catalog-scale':
    'Memory kept per object or per table: anything the run holds until it ends (a record, a promise reaction, a status entry) adds up over a million tables. The live heap after a full GC stays at about 18 MB through the run; what is left is V8 letting its heap grow larger between collections in a longer run.',
  'remote-profile':
    "Peak RSS, not speed. The S3 profile peaks 13–41 MB above the same profile of the local file, and that one already misses the bar (scenario 5's limit: the main thread's V8 young generation, grown to its maximum in the Workflow path; with `--max-semi-space-size=2` the S3 CSV profile peaks at 191–192 MB, the local one at 170 MB). The S3 extra is the client's HTTP path in the main thread: the AWS SDK's modules, and the socket's chunks (a 2 MiB range arrives in about 34 buffers of up to 64 KB, each garbage once copied into the part; V8 frees them at its next collection, which off-heap garbage alone triggers only after tens of MB: the likely cause, not verified), plus the bytes read ahead (at most 8 MiB not yet taken: about the same peak as one read at a time for the CSV, 17–20 MB more for Parquet, two runs each). Speed is CPU on 2 shared cores: an S3 run takes this process 0.9–2.8 s more CPU than a local one, and the emulator 0.3–0.5 s, out of 10–20 s. With 10 ms added per request a single run measured 0.70–1.13× local; reading one range at a time instead took 25–30 % longer on the CSV.",
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
