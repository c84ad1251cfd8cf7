// Where a remote profile's extra memory goes: the scenario-5 profile of one large file from S3
// (fauxqs) and from local disk, each in a child process, with the process's memory at its peak RSS
// broken down (/proc/self/smaps mappings, V8 spaces, live ArrayBuffers). Usage (after
// `npx turbo run build`): node bench/remote-memory.mjs [bench/data/datalake/big/big_1024mb.csv] [rounds]
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const here = path.dirname(self);

function smaps() {
  const groups = new Map();
  let name;
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) {
      const mb = (parseInt(m[2], 16) - parseInt(m[1], 16)) / 2 ** 20;
      name = m[3] ? (m[3].endsWith('/node') ? 'node binary' : m[3].startsWith('[') ? m[3] : 'files') : mb < 1 ? 'V8 pages (anon < 1 MB)' : 'other anon (arenas, stacks, wasm)';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) groups.set(name, (groups.get(name) ?? 0) + Number(rss[1]) / 1024);
  }
  return Object.fromEntries([...groups].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)]));
}

if (process.argv[2] === '--child') {
  const [file, endpoint, bucket] = process.argv.slice(3);
  const { profileWithWorkflow } = await import(path.join(here, 'lib/profile.mjs'));
  let peak = 0;
  let atPeak;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss <= peak) return;
    peak = m.rss;
    atPeak = {
      mappingsMb: smaps(),
      v8SpacesMb: Object.fromEntries(v8.getHeapSpaceStatistics().filter((s) => s.physical_space_size > 2 ** 20).map((s) => [s.space_name, Math.round(s.physical_space_size / 2 ** 20)])),
      arrayBuffersMb: Math.round(m.arrayBuffers / 2 ** 20),
    };
  }, 100);
  const r = await profileWithWorkflow(file, path.join(here, `data/tmp/remote-memory-${process.pid}.jsonl`), endpoint ? { endpoint, bucket } : undefined);
  clearInterval(timer);
  process.stdout.write(JSON.stringify({ from: endpoint ? 's3' : 'local', seconds: Math.round(r.ms / 100) / 10, peakRssMb: Math.round(peak / 2 ** 20), ...atPeak }));
  process.exit(0);
}

const file = path.resolve(process.argv[2] ?? path.join(here, 'data/datalake/big/big_1024mb.csv'));
const rounds = Number(process.argv[3] ?? 2);
const { startFauxqs } = await import(path.join(here, 'lib/servers.mjs'));
const s3 = await import(path.join(here, 'lib/s3.mjs'));
const fauxqs = await startFauxqs();
try {
  const client = s3.client(fauxqs.endpoint);
  await s3.ensureBucket(client, 'remote-memory');
  await s3.uploadBenchFile(client, 'remote-memory', path.basename(file), file, () => undefined);
  const runs = [];
  for (let i = 0; i < rounds; i++) {
    for (const args of [[fauxqs.endpoint, 'remote-memory'], []]) {
      runs.push(JSON.parse(execFileSync(process.execPath, [self, '--child', file, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 })));
    }
  }
  console.log(JSON.stringify({ file: path.basename(file), runs }, null, 2));
} finally {
  await fauxqs.stop();
}
process.exit(0);
