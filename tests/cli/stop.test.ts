/**
 * One Ctrl-C ends a run stuck on a request that never answers (issue 21): the built `metadata`
 * command, an S3 source behind the fault proxy, SIGINT while a GetObject hangs. The run must end by
 * itself (the Jest timeout is the only clock), leave a valid output file, and say `state: "stopped"`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { adminClient, createBucket, s3Endpoint, TEST_KEYS as KEYS } from '../../plugins/datalake-s3/src/testing/helpers';
import { FaultProxy } from '../cloud/fault-proxy';
import { REPO_ROOT } from '../helpers/user-project';

const CLI = path.join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');
const BUCKET = `stop-${process.pid}`;

let proxy: FaultProxy;

beforeAll(async () => {
  const s3 = adminClient();
  await createBucket(s3, BUCKET, Object.fromEntries(['a.csv', 'b.csv', 'c-hangs.csv', 'd.csv'].map((key) => [key, 'id,name\n1,x\n'])));
  s3.destroy();
  proxy = new FaultProxy(s3Endpoint());
  await proxy.start();
  proxy.fault((r) => (r.method === 'GET' && r.url.startsWith(`/${BUCKET}/c-hangs.csv`) ? { hang: true } : undefined));
});

afterAll(async () => proxy?.stop());

test('SIGINT during a GetObject that never answers ends the run: valid output file, state stopped', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-stop-'));
  const out = path.join(dir, 'out.json');
  const config = path.join(dir, 'stop.yaml');
  fs.writeFileSync(
    config,
    `source:
  type: datalake
  serviceName: lake_stop
  serviceConnection:
    config:
      type: Datalake
      bucketName: ${BUCKET}
      configSource:
        securityConfig:
          awsAccessKeyId: ${KEYS.awsAccessKeyId}
          awsSecretAccessKey: ${KEYS.awsSecretAccessKey}
          awsRegion: us-east-1
          endPointURL: ${proxy.endpoint}
  sourceConfig:
    config:
      type: DatabaseMetadata
      readConcurrency: 1
sink:
  type: file
  config:
    filename: ${out}
workflowConfig:
  loggerLevel: WARN
`,
  );
  const child = spawn(process.execPath, [CLI, 'ingest', '-c', config, '--output', 'json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  // Wait until the run is stuck on the object that never answers, then press Ctrl-C once.
  while (proxy.injected.length === 0) {
    if (child.exitCode !== null) throw new Error(`the run ended before it reached the stuck object:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGINT');
  const code = await exited;

  expect(code).toBe(1);
  const summary = JSON.parse(stdout) as { state: string; stopped: boolean };
  expect(summary.state).toBe('stopped');
  expect(summary.stopped).toBe(true);
  const written = JSON.parse(fs.readFileSync(out, 'utf8')) as { name: string }[];
  expect(written.map((r) => r.name)).toEqual(['lake_stop', 'default', BUCKET, 'a.csv', 'b.csv']);
  expect(stderr).not.toContain(KEYS.awsSecretAccessKey);
  expect(stderr).not.toMatch(/\n\s+at /);
  fs.rmSync(dir, { recursive: true, force: true });
}, 30_000);
