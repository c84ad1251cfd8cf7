// One measurement in a fresh process, so that its peak RSS is its own. Prints one JSON line last.
//   node bench/lib/child.mjs idle
//   node bench/lib/child.mjs ingest <endpoint> <bucket> <out.jsonl>
//   node bench/lib/child.mjs ingest-synthetic <objects> <out.jsonl>
//   node bench/lib/child.mjs profile <file> <out.jsonl> [<s3 endpoint> <bucket>]
//   node bench/lib/child.mjs duckdb <file> [threads]
import * as fs from 'node:fs';
import { core, datalake, datalakeS3, peakRss, profiler, registry } from './env.mjs';
import { ingestBucket, ingestSynthetic } from './ingest.mjs';
import { profileDirect, profileWithWorkflow, summarizeWithDuckDB } from './profile.mjs';

/** Peak RSS: the kernel's high-water mark (VmHWM), else maxRSS. */
function highWater() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {}
  return peakRss();
}

const [mode, ...args] = process.argv.slice(2);
let result;
switch (mode) {
  case 'idle':
    core();
    datalake();
    datalakeS3();
    profiler();
    registry();
    result = {};
    break;
  case 'ingest':
    result = await ingestBucket({ endpoint: args[0], bucket: args[1], out: args[2] });
    break;
  case 'ingest-synthetic':
    result = await ingestSynthetic({ objects: Number(args[0]), out: args[1], highWater });
    break;
  case 'profile':
    result = await profileWithWorkflow(args[0], args[1], args[2] ? { endpoint: args[2], bucket: args[3] } : undefined);
    // Without the Profiler mode, measure the engine directly (reported as pending, with the reason).
    if (result.pending) result = { ...(await profileDirect(args[0])), pending: true, reason: result.reason };
    break;
  case 'duckdb':
    result = await summarizeWithDuckDB(args[0], args[1] ? Number(args[1]) : undefined);
    break;
  default:
    throw new Error(`unknown mode ${mode}`);
}
// A mode that measured its own peak (before work that is not the measurement) keeps it.
process.stdout.write(`\n${JSON.stringify({ ...result, peakRssBytes: result.peakRssBytes ?? highWater() })}\n`);
process.exit(0);
