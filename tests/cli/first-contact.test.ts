/**
 * Issue 15, "first contact": the built CLI as a new user runs it, against the S3/GCS/Azure/DynamoDB
 * emulators and the OpenMetadata API test server. Run with
 * OM_TEST_SERVERS=fauxqs,gcs-emulator,azurite,dynalite npx jest tests/cli/first-contact.test.ts
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient } from '@azure/storage-blob';
import { Storage } from '@google-cloud/storage';
import { adminClient, createTable } from '../../plugins/dynamodb/src/testing/helpers';
import { FaultProxy } from '../cloud/fault-proxy';
import { createUserProject, REPO_ROOT, workspaceDir, writeFile, type CliResult, type UserProject } from '../helpers/user-project';
import { api, BUCKET as DBT_BUCKET, jaffleTables, MAPPING, SERVICE as DBT_SERVICE, tableKey, TOKEN } from '../dbt/helpers';
import { startOmApiServer, type OmApiServer } from '../om-api-server';

const BUCKET = 'first-contact';
const EXAMPLES = path.join(REPO_ROOT, 'examples');
const MANIFEST = path.resolve(REPO_ROOT, '..', 'shared', 'testdata', 'dbt', 'manifest.json');
const WRITE_METHODS = ['PUT', 'PATCH', 'POST', 'DELETE'];

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run with OM_TEST_SERVERS=fauxqs,gcs-emulator,azurite,dynalite`);
  return value;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

let project: UserProject;
let server: OmApiServer;

/** Runs the CLI without blocking this process (the API test server answers from it). */
function run(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string } = {}): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, OM_JWT: TOKEN, ...options.env };
  delete childEnv.OM_PLUGIN_PATH;
  delete childEnv.NO_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [project.cli, ...args], { cwd: options.cwd ?? project.dir, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

const omServerConfig = () => `  openMetadataServerConfig:
    hostPort: ${server.hostPort}
    authProvider: openmetadata
    securityConfig:
      jwtToken: \${OM_JWT}`;

const s3Env = () => ({ AWS_ACCESS_KEY_ID: 'AKIDFIRSTCONTACT', AWS_SECRET_ACCESS_KEY: 'first-contact-secret-0000', S3_ENDPOINT_URL: env('OM_TEST_S3_ENDPOINT'), OM_JWT: TOKEN });

function s3Config(bucket: string, sink = 'metadata-rest', pipeline = 'type: DatabaseMetadata'): string {
  return `source:
  type: datalake
  serviceName: fc_s3
  serviceConnection:
    config:
      type: Datalake
      configSource:
        securityConfig:
          awsAccessKeyId: \${AWS_ACCESS_KEY_ID}
          awsSecretAccessKey: \${AWS_SECRET_ACCESS_KEY}
          awsRegion: us-east-1
          endPointURL: \${S3_ENDPOINT_URL}
      bucketName: ${bucket}
  sourceConfig:
    config:
      ${pipeline}
sink:
  type: ${sink}
  config: {}
workflowConfig:
  loggerLevel: WARN
${omServerConfig()}
`;
}

function localConfig(root: string, extra = '', sink = '  type: metadata-rest\n  config: {}'): string {
  return `source:
  type: datalake
  serviceName: fc_local
  serviceConnection:
    config:
      type: Datalake
      configSource:
        root: ${root}
      bucketName: shop
  sourceConfig:
    config:
      type: DatabaseMetadata
      markDeletedTables: true${extra}
sink:
${sink}
workflowConfig:
  loggerLevel: WARN
${omServerConfig()}
`;
}

const writes = () => server.requests.filter((r) => WRITE_METHODS.includes(r.method));

beforeAll(async () => {
  project = createUserProject(['@om/datalake', '@om/datalake-s3', '@om/datalake-gcs', '@om/datalake-azure', '@om/openmetadata', '@om/dynamodb', '@om/dbt', '@om/profiler']);
  server = await startOmApiServer({ token: TOKEN });

  const s3 = new S3Client({
    endpoint: env('OM_TEST_S3_ENDPOINT'),
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'orders.csv', Body: Buffer.from('id,amount\n1,9.5\n2,3\n') }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gone.csv', Body: Buffer.from('id\n1\n') }));
  await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone.csv' }));
  s3.destroy();

  const blob = BlobServiceClient.fromConnectionString(env('OM_TEST_AZURE_CONNECTION_STRING'));
  await blob.getContainerClient(BUCKET).create();
  await blob.getContainerClient(BUCKET).getBlockBlobClient('orders.csv').uploadData(Buffer.from('id\n1\n'));
  process.env.STORAGE_EMULATOR_HOST = env('OM_TEST_GCS_ENDPOINT');
  await new Storage({ projectId: 'demo-om' }).bucket(BUCKET).file('orders.csv').save(Buffer.from('id\n1\n'), { resumable: false });

  const ddb = adminClient();
  await createTable(ddb, { TableName: 'fc_orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] });
  ddb.destroy();
}, 180_000);

afterAll(async () => {
  delete process.env.STORAGE_EMULATOR_HOST;
  await server?.close();
});

beforeEach(() => server.reset());

describe('1. connection test before any write', () => {
  it('a wrong bucket stops the run with exit 1, names the field, and sends nothing to OpenMetadata', async () => {
    writeFile(project.dir, 'wrong-bucket.yaml', s3Config('frist-contact'));
    const result = await run(['ingest', '-c', 'wrong-bucket.yaml'], { env: s3Env() });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Connection test failed for source datalake (list one page of s3://frist-contact/)');
    expect(result.stderr).toContain('source.serviceConnection.config.bucketName');
    expect(result.stderr).toContain('Nothing was written.');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr + result.stdout).not.toContain('first-contact-secret-0000');
    expect(server.requests).toEqual([]);

    const json = await run(['ingest', '-c', 'wrong-bucket.yaml', '-o', 'json'], { env: s3Env() });
    expect(json.status).toBe(1);
    const body = JSON.parse(json.stdout);
    expect(body).toMatchObject({ command: 'ingest', state: 'failed', exitCode: 1 });
    expect(body.errors[0].message).toContain('source.serviceConnection.config.bucketName');
    expect(body.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ['set up the s3 storage client', true],
      ['list one page of s3://frist-contact/', false],
    ]);
    expect(server.requests).toEqual([]);
  });

  it('rejected AWS credentials stop the run naming the credentials field, and nothing is sent to OpenMetadata', async () => {
    const proxy = new FaultProxy(env('OM_TEST_S3_ENDPOINT'));
    proxy.fault(() => ({
      status: 403,
      headers: { 'content-type': 'application/xml' },
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message></Error>',
    }));
    await proxy.start();
    try {
      writeFile(project.dir, 'bad-keys.yaml', s3Config(BUCKET));
      const result = await run(['ingest', '-c', 'bad-keys.yaml'], { env: { ...s3Env(), S3_ENDPOINT_URL: proxy.endpoint } });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`Connection test failed for source datalake (list one page of s3://${BUCKET}/): source.serviceConnection.config.configSource.securityConfig: `);
      expect(result.stderr).toContain('InvalidAccessKeyId');
      expect(result.stderr).not.toContain('first-contact-secret-0000');
      expect(server.requests).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('a reachable bucket passes the test and the run writes', async () => {
    writeFile(project.dir, 'right-bucket.yaml', s3Config(BUCKET));
    const result = await run(['ingest', '-c', 'right-bucket.yaml'], { env: s3Env() });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(server.store.all('table').map((t) => t.body.name)).toEqual(['orders.csv']);
  });

  it('validate is offline unless --connect: a wrong bucket is only found with --connect', async () => {
    writeFile(project.dir, 'wrong-bucket.yaml', s3Config('frist-contact'));
    // The OpenMetadata server is not even needed offline.
    const offline = await run(['validate', '-c', 'wrong-bucket.yaml'], { env: { ...s3Env(), S3_ENDPOINT_URL: 'http://127.0.0.1:1' } });
    expect(offline.stderr).toBe('');
    expect(offline.status).toBe(0);
    expect(offline.stdout).toContain('wrong-bucket.yaml: valid (offline');
    expect(server.requests).toEqual([]);

    const connected = await run(['validate', '--connect', '-c', 'wrong-bucket.yaml'], { env: s3Env() });
    expect(connected.status).toBe(1);
    expect(connected.stdout).toMatch(/^FAILED source datalake: list one page of s3:\/\/frist-contact\/ — source\.serviceConnection\.config\.bucketName: /m);
    expect(writes()).toEqual([]);

    writeFile(project.dir, 'unset.yaml', s3Config(BUCKET).replace('${S3_ENDPOINT_URL}', '${NOT_SET_ANYWHERE}'));
    const invalid = await run(['validate', '-c', 'unset.yaml'], { env: s3Env() });
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('environment variable NOT_SET_ANYWHERE is not set');
  });
});

describe('2. metadata test-connection', () => {
  it('prints one line per check for S3, GCS, Azure and the metadata-rest sink', async () => {
    const common = { DATALAKE_BUCKET: BUCKET, OM_HOST_PORT: server.hostPort, OM_JWT_TOKEN: TOKEN };
    const s3 = await run(['test-connection', '-c', path.join(EXAMPLES, 'datalake-s3.yaml')], { env: { ...common, ...s3Env() } });
    expect(s3.stdout.split('\n').slice(0, 4)).toEqual([
      'ok     source datalake: set up the s3 storage client',
      `ok     source datalake: list one page of s3://${BUCKET}/ — reachable`,
      expect.stringMatching(new RegExp(`^ok {5}sink metadata-rest: GET ${server.hostPort}/v1/system/version — OpenMetadata \\d+\\.\\d+\\.\\d+, supported$`)),
      'ok     sink metadata-rest: GET /v1/services/databaseServices?limit=1 (the credentials are accepted)',
    ]);
    expect(s3.stdout).toContain('every connection check passed');
    expect(s3.status).toBe(0);

    const gcs = await run(['test-connection', '-c', path.join(EXAMPLES, 'datalake-gcs.yaml')], {
      env: {
        ...common,
        STORAGE_EMULATOR_HOST: env('OM_TEST_GCS_ENDPOINT'),
        GCP_PROJECT_ID: 'demo-om',
        GCP_PRIVATE_KEY_ID: 'kid-1',
        GCP_PRIVATE_KEY: PEM.replace(/\n/g, '\\n'),
        GCP_CLIENT_EMAIL: 'reader@demo-om.iam.gserviceaccount.com',
        GCP_CLIENT_ID: '1234567890',
        GCP_CLIENT_CERT_URL: 'https://www.googleapis.com/robot/v1/metadata/x509/reader%40demo-om.iam.gserviceaccount.com',
      },
    });
    expect(gcs.stdout).toContain(`ok     source datalake: list one page of gs://${BUCKET}/ — reachable`);
    expect(gcs.status).toBe(0);

    const azure = await run(['test-connection', '-c', path.join(EXAMPLES, 'datalake-azure.yaml')], {
      env: { ...common, AZURE_STORAGE_ACCOUNT: env('OM_TEST_AZURE_ACCOUNT_NAME'), AZURE_STORAGE_CONNECTION_STRING: env('OM_TEST_AZURE_CONNECTION_STRING') },
    });
    expect(azure.stdout).toContain(`ok     source datalake: list one page of azure://${BUCKET}/ — reachable`);
    expect(azure.status).toBe(0);

    expect(writes()).toEqual([]);
    expect(s3.stdout + gcs.stdout + azure.stdout + s3.stderr + gcs.stderr + azure.stderr).not.toContain(TOKEN);
  });

  it('prints the local, DynamoDB and dbt checks, and the reason of a failed one (exit 1)', async () => {
    fs.mkdirSync(path.join(project.dir, 'lake', 'shop'), { recursive: true });
    writeFile(project.dir, 'local.yaml', localConfig('lake', '', '  type: console'));
    const local = await run(['test-connection', '-c', 'local.yaml'], { env: { OM_JWT: TOKEN } });
    expect(local.stdout.split('\n').slice(0, 3)).toEqual([
      'ok     source datalake: set up the local storage client',
      'ok     source datalake: list one page of shop/ — reachable; the bucket is empty',
      'ok     sink console: connect — nothing to check (this step connects to nothing)',
    ]);
    expect(local.status).toBe(0);

    writeFile(
      project.dir,
      'ddb.yaml',
      `source:
  type: dynamodb
  serviceName: fc_ddb
  serviceConnection:
    config:
      type: DynamoDB
      awsConfig:
        awsAccessKeyId: a
        awsSecretAccessKey: b
        awsRegion: us-east-1
        endPointURL: ${env('OM_TEST_DYNAMODB_ENDPOINT')}
  sourceConfig:
    config:
      type: DatabaseMetadata
sink:
  type: metadata-rest
  config: {}
workflowConfig:
${omServerConfig()}
`,
    );
    const ddb = await run(['test-connection', '-c', 'ddb.yaml'], { env: { OM_JWT: TOKEN } });
    expect(ddb.stdout.split('\n')[0]).toBe('ok     source dynamodb: ListTables (one page, region us-east-1) — reachable');
    expect(ddb.status).toBe(0);

    const dbt = (manifest: string) => `source:
  type: dbt
  serviceName: fc_s3
  sourceConfig:
    config:
      type: DBT
      dbtConfigSource:
        dbtConfigType: local
        dbtManifestFilePath: ${manifest}
sink:
  type: metadata-rest
  config: {}
workflowConfig:
${omServerConfig()}
`;
    writeFile(project.dir, 'dbt.yaml', dbt(MANIFEST));
    const ok = await run(['test-connection', '-c', 'dbt.yaml'], { env: { OM_JWT: TOKEN } });
    expect(ok.stdout.split('\n')[0]).toMatch(new RegExp(`^ok {5}source dbt: read access to the manifest ${MANIFEST.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} — \\d+ bytes$`));
    expect(ok.stdout).toContain('ok     source dbt: GET /v1/services/databaseServices?limit=1 (the credentials are accepted)');
    expect(ok.status).toBe(0);

    writeFile(project.dir, 'dbt-missing.yaml', dbt('target/manifest.json'));
    const missing = await run(['test-connection', '-c', 'dbt-missing.yaml'], { env: { OM_JWT: 'wrong-token' } });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain(
      `FAILED source dbt: read access to the manifest ${path.join(project.dir, 'target', 'manifest.json')} — source.sourceConfig.config.dbtConfigSource.dbtManifestFilePath: cannot read`,
    );
    expect(missing.stdout).toMatch(/FAILED sink metadata-rest: GET \/v1\/services\/databaseServices\?limit=1 \(the credentials are accepted\) — workflowConfig\.openMetadataServerConfig\.securityConfig: /);
    expect(missing.stdout).toContain('connection test failed');
    const json = JSON.parse((await run(['test-connection', '-c', 'dbt-missing.yaml', '-o', 'json'], { env: { OM_JWT: 'wrong-token' } })).stdout);
    expect(json).toMatchObject({ command: 'test-connection', ok: false });
    expect(json.errors.length).toBeGreaterThanOrEqual(2);
    expect(writes()).toEqual([]);
  });
});

describe('5. each subcommand checks its workflow type', () => {
  it('exits 2 naming the command to use', async () => {
    fs.mkdirSync(path.join(project.dir, 'lake', 'shop'), { recursive: true });
    writeFile(project.dir, 'meta.yaml', localConfig('lake', '', '  type: console'));
    const profile = await run(['profile', '-c', 'meta.yaml']);
    expect(profile.status).toBe(2);
    expect(profile.stderr).toContain('source.sourceConfig.config.type: metadata profile runs Profiler workflows, but this config is a DatabaseMetadata workflow');
    expect(profile.stderr).toContain('hint: run it with: metadata ingest -c meta.yaml');
    const test = await run(['test', '-c', 'meta.yaml', '-o', 'json']);
    expect(test.status).toBe(2);
    expect(JSON.parse(test.stdout)).toMatchObject({ command: 'test', state: 'invalid', errors: [expect.objectContaining({ path: 'source.sourceConfig.config.type' })] });

    const profilerConfig = fs.readFileSync(path.join(EXAMPLES, 'local-profiler.yaml'), 'utf8');
    writeFile(project.dir, 'profiler.yaml', profilerConfig);
    const ingest = await run(['ingest', '-c', 'profiler.yaml']);
    expect(ingest.status).toBe(2);
    expect(ingest.stderr).toContain('metadata ingest runs DatabaseMetadata and dbt workflows, but this config is a Profiler workflow');
    expect(ingest.stderr).toContain('metadata profile -c profiler.yaml');
    expect(server.requests).toEqual([]);
  });
});

describe('6. variables like OpenMetadata', () => {
  it('keeps a literal $ of an unset bare name (a password), never logs it, and names an unset ${VAR} with the $$ hint', async () => {
    writeFile(project.dir, 'dollar.yaml', s3Config(BUCKET, 'file').replace('config: {}', 'config: {filename: out/dollar$x.json}'));
    const secret = 'Xy$zz9+abc';
    const result = await run(['ingest', '-c', 'dollar.yaml', '--debug'], { env: { ...s3Env(), AWS_SECRET_ACCESS_KEY: secret } });
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(project.dir, 'out', 'dollar$x.json'))).toBe(true);
    expect(result.stderr).toMatch(/DEBUG sink\.config\.filename: "\$x" was left as written: no such environment variable \(write \$\$ for a literal \$\)/);
    expect(result.stderr + result.stdout).not.toContain('zz9');

    writeFile(project.dir, 'inline-secret.yaml', s3Config(BUCKET, 'file').replace('${AWS_SECRET_ACCESS_KEY}', `"${secret}"`).replace('config: {}', 'config: {filename: out/inline.json}'));
    const inline = await run(['ingest', '-c', 'inline-secret.yaml', '--debug'], { env: s3Env() });
    expect(inline.status).toBe(0);
    expect(inline.stderr).toContain('source.serviceConnection.config.configSource.securityConfig.awsSecretAccessKey: a "$name" was left as written');
    expect(inline.stderr + inline.stdout).not.toContain('zz9');

    writeFile(project.dir, 'braced.yaml', s3Config('${BUCKET_NOT_SET}'));
    const braced = await run(['ingest', '-c', 'braced.yaml'], { env: s3Env() });
    expect(braced.status).toBe(2);
    expect(braced.stderr).toContain('source.serviceConnection.config.bucketName: environment variable BUCKET_NOT_SET is not set');
    expect(braced.stderr).toContain('write $$ for a literal $');
  });
});

describe('7. paths, stdin, JSON output, ERROR logs, exit codes', () => {
  it("resolves the file sink's filename and the local root from the config's folder, whatever the cwd", async () => {
    writeFile(project.dir, 'sub/lake/shop/items.csv', 'id,name\n1,a\n');
    writeFile(project.dir, 'sub/paths.yaml', localConfig('lake', '', '  type: file\n  config:\n    filename: out/records.json'));
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'om-cwd-'));
    const result = await run(['ingest', '-c', path.join(project.dir, 'sub', 'paths.yaml')], { cwd: elsewhere });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const written = JSON.parse(fs.readFileSync(path.join(project.dir, 'sub', 'out', 'records.json'), 'utf8'));
    expect(written.map((r: { name: string }) => r.name)).toEqual(['fc_local', 'default', 'shop', 'items.csv']);
    expect(fs.existsSync(path.join(elsewhere, 'out'))).toBe(false);
  });

  it('reads the config from stdin with -c -, and explains -c <directory>', async () => {
    writeFile(project.dir, 'stdin-lake/shop/a.csv', 'id\n1\n');
    const text = localConfig(path.join(project.dir, 'stdin-lake'), '', '  type: console');
    const result = await run(['ingest', '-c', '-', '-o', 'json'], { stdin: text });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ command: 'ingest', state: 'success' });
    const empty = await run(['ingest', '-c', '-'], { stdin: '' });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('Invalid configuration in <stdin>:\n  - standard input is empty');

    fs.mkdirSync(path.join(project.dir, 'configs'), { recursive: true });
    writeFile(project.dir, 'configs/wf.yaml', text);
    const dir = await run(['ingest', '-c', 'configs']);
    expect(dir.status).toBe(2);
    expect(dir.stderr).toContain('Invalid configuration in configs:\n  - is a directory, not a config file\n      hint: give one of its files, e.g. -c configs/wf.yaml');
  });

  it('-o json prints a JSON object with errors for an invalid config', async () => {
    writeFile(project.dir, 'bad.yaml', localConfig('lake').replace('type: Datalake', 'type: Datalake\n      bucketNmae: x'));
    const result = await run(['ingest', '-c', 'bad.yaml', '-o', 'json'], { env: { OM_JWT: TOKEN } });
    expect(result.status).toBe(2);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({ command: 'ingest', state: 'invalid', exitCode: 2 });
    expect(body.errors).toContainEqual(expect.objectContaining({ path: 'source.serviceConnection.config.bucketNmae', message: 'unknown key "bucketNmae"' }));
    const usage = await run(['ingest', '-o', 'json']);
    expect(usage.status).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({ command: 'ingest', state: 'invalid', exitCode: 2, errors: [{ message: "required option '-c, --config <file>' not specified" }] });
    const missing = await run(['validate', '-c', 'nope.yaml', '-o', 'json']);
    expect(missing.status).toBe(2);
    expect(JSON.parse(missing.stdout).errors[0].message).toBe('cannot read config file: file not found');
  });

  it('logs failures that count against the threshold at ERROR', async () => {
    writeFile(project.dir, 'errs/shop/broken.parquet', 'not a parquet file');
    writeFile(project.dir, 'errs.yaml', localConfig('errs', '', '  type: console'));
    const result = await run(['ingest', '-c', 'errs.yaml']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/ ERROR shop\/broken\.parquet: cannot read it as parquet/);
    expect(result.stderr).not.toMatch(/ WARN {2}shop\/broken\.parquet/);
    const json = await run(['ingest', '-c', 'errs.yaml', '-o', 'json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ command: 'ingest', state: 'failed', errors: [{ message: expect.stringContaining('is below the threshold of 90%') }] });
  });

  it('exits 2 for a config error raised by a plugin that carries its own copy of @om/core', async () => {
    // A globally installed CLI loading a project's plugin: the plugin's ConfigError is not the CLI's class.
    const pluginDir = path.join(project.dir, 'node_modules', 'om-plugin-strict');
    const coreCopy = path.join(pluginDir, 'node_modules', '@om', 'core');
    fs.mkdirSync(coreCopy, { recursive: true });
    fs.copyFileSync(path.join(workspaceDir('@om/core'), 'package.json'), path.join(coreCopy, 'package.json'));
    fs.cpSync(path.join(workspaceDir('@om/core'), 'dist'), path.join(coreCopy, 'dist'), { recursive: true });
    fs.symlinkSync(path.join(workspaceDir('@om/core'), 'node_modules'), path.join(coreCopy, 'node_modules'), 'dir');
    fs.writeFileSync(
      path.join(pluginDir, 'package.json'),
      JSON.stringify({ name: 'om-plugin-strict', version: '1.0.0', main: 'index.js', om: { id: 'strict', apiVersion: 1, provides: ['source:strict'] } }),
    );
    fs.writeFileSync(
      path.join(pluginDir, 'index.js'),
      `const core = require('@om/core');
exports.plugin = core.definePlugin({
  id: 'strict', apiVersion: core.PLUGIN_API_VERSION, provides: ['source:strict'],
  register(c) {
    c.register(core.stepToken('source', 'strict'), { useValue: { create() {
      throw core.ConfigError.single('source.sourceConfig.config.level', 'must be 1', 'set level: 1');
    } } });
  },
});
`,
    );
    writeFile(project.dir, 'strict.yaml', 'source:\n  type: strict\n  serviceName: s\n  sourceConfig:\n    config:\n      type: DatabaseMetadata\nsink:\n  type: console\nworkflowConfig: {}\n');
    const result = await run(['ingest', '-c', 'strict.yaml']);
    expect(result.stderr).toContain('source.sourceConfig.config.level: must be 1');
    expect(result.status).toBe(2);
    fs.rmSync(pluginDir, { recursive: true, force: true });
  });
});

describe('3. --dry-run', () => {
  it('ingest reads the source, sends no write and lists the planned creates, updates and mark-deletes', async () => {
    writeFile(project.dir, 'dry/shop/keep.csv', 'id\n1\n');
    writeFile(project.dir, 'dry/shop/old.csv', 'id\n1\n');
    writeFile(project.dir, 'dry.yaml', localConfig('dry'));
    const first = await run(['ingest', '-c', 'dry.yaml'], { env: { OM_JWT: TOKEN } });
    expect(first.status).toBe(0);
    fs.rmSync(path.join(project.dir, 'dry', 'shop', 'old.csv'));
    writeFile(project.dir, 'dry/shop/new.csv', 'id\n1\n');
    server.requests.length = 0;

    const dry = await run(['ingest', '-c', 'dry.yaml', '--dry-run'], { env: { OM_JWT: TOKEN } });
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(writes()).toEqual([]);
    expect(dry.stdout.split('\n').filter((l) => l.startsWith('[dry run]'))).toEqual([
      '[dry run] update databaseService fc_local',
      '[dry run] update database fc_local.default',
      '[dry run] update databaseSchema fc_local.default.shop',
      '[dry run] update table fc_local.default.shop."keep.csv"',
      '[dry run] create table fc_local.default.shop."new.csv"',
      '[dry run] delete table (mark deleted) fc_local.default.shop."old.csv"',
      '[dry run] mark-deleted: 1 of the 2 tables of fc_local.default.shop (50.0 %)',
    ]);
    expect(dry.stdout).toMatch(/Sink metadata-rest \(dry run: nothing sent\)/);
    expect(server.store.all('table').filter((t) => !t.deleted).map((t) => t.body.name).sort()).toEqual(['keep.csv', 'old.csv']);

    const json = await run(['ingest', '-c', 'dry.yaml', '--dry-run', '-o', 'json'], { env: { OM_JWT: TOKEN } });
    const summary = JSON.parse(json.stdout);
    expect(summary).toMatchObject({ command: 'ingest', dryRun: true, state: 'success' });
    expect(summary.steps[1].plan).toEqual({ sink: 'metadata-rest', counts: { create: 1, update: 4, 'create or update': 0, write: 0, delete: 1 } });
    expect(writes()).toEqual([]);
  });

  it('profile, test and dbt plan their writes and send none', async () => {
    writeFile(project.dir, 'dryp/shop/orders.csv', 'id,amount\n1,2.5\n2,3\n');
    writeFile(project.dir, 'dryp.yaml', localConfig('dryp'));
    expect((await run(['ingest', '-c', 'dryp.yaml'], { env: { OM_JWT: TOKEN } })).status).toBe(0);
    server.requests.length = 0;
    writeFile(
      project.dir,
      'dryp-profile.yaml',
      localConfig('dryp').replace('type: DatabaseMetadata\n      markDeletedTables: true', 'type: Profiler').replace('sink:', 'processor:\n  type: orm-profiler\n  config: {}\nsink:'),
    );
    const profile = await run(['profile', '-c', 'dryp-profile.yaml', '--dry-run'], { env: { OM_JWT: TOKEN } });
    expect(profile.stderr).toBe('');
    expect(profile.status).toBe(0);
    expect(profile.stdout).toContain('[dry run] write profile of table fc_local.default.shop."orders.csv"');
    expect(writes()).toEqual([]);

    writeFile(
      project.dir,
      'dryp-test.yaml',
      `source:
  type: testsuite
  serviceName: fc_local
  serviceConnection:
    config:
      type: Datalake
      configSource:
        root: dryp
  sourceConfig:
    config:
      type: TestSuite
      entityFullyQualifiedName: fc_local.default.shop."orders.csv"
processor:
  type: orm-test-runner
  config:
    testCases:
      - name: id_not_null
        testDefinitionName: columnValuesToBeNotNull
        columnName: id
sink:
  type: metadata-rest
  config: {}
workflowConfig:
${omServerConfig()}
`,
    );
    const test = await run(['test', '-c', 'dryp-test.yaml', '--dry-run'], { env: { OM_JWT: TOKEN } });
    expect(test.stderr).not.toMatch(/ (ERROR|WARN) /);
    expect(test.status).toBe(0);
    expect(test.stdout).toContain('[dry run] write 1 test case result(s) of table fc_local.default.shop."orders.csv"');
    expect(writes()).toEqual([]);

    // The jaffle_shop tables as the datalake source would have created them.
    const put = async (urlPath: string, body: unknown) => expect((await api(server, 'PUT', urlPath, body)).status).toBeLessThan(300);
    await put('/services/databaseServices', { name: DBT_SERVICE, serviceType: 'Datalake', connection: { config: { type: 'Datalake', configSource: { securityConfig: { awsRegion: 'us-east-1' } } } } });
    await put('/databases', { name: 'default', service: DBT_SERVICE });
    await put('/databaseSchemas', { name: DBT_BUCKET, database: `${DBT_SERVICE}.default` });
    for (const t of jaffleTables('dbt_alice')) {
      const columns = t.columns.map((name, i) => ({ name, dataType: 'STRING', ordinalPosition: i + 1 }));
      await put('/tables', { name: tableKey(t.schema, t.alias), tableType: 'Regular', fileFormat: 'parquet', databaseSchema: `${DBT_SERVICE}.default.${DBT_BUCKET}`, columns });
    }
    server.requests.length = 0;
    writeFile(
      project.dir,
      'dry-dbt.yaml',
      `source:
  type: dbt
  serviceName: ${DBT_SERVICE}
  sourceConfig:
    config:
      type: DBT
      dbtConfigSource:
        dbtConfigType: local
        dbtManifestFilePath: ${MANIFEST}
      tableNameMapping: ${JSON.stringify(MAPPING)}
sink:
  type: metadata-rest
  config: {}
workflowConfig:
${omServerConfig()}
`,
    );
    const dbt = await run(['ingest', '-c', 'dry-dbt.yaml', '--dry-run'], { env: { OM_JWT: TOKEN } });
    expect(dbt.status).toBe(0);
    const planned = dbt.stdout.split('\n').filter((l) => l.startsWith('[dry run] '));
    // dbt yields records; the plan sink lists each planned write by record kind and the table it is for.
    expect(planned).toContainEqual(expect.stringMatching(/^\[dry run\] write dataModel lake\.default\..+\.parquet"$/));
    expect(planned).toContainEqual(expect.stringMatching(/^\[dry run\] write lineage .+ → .+$/));
    expect(writes()).toEqual([]);
    expect(server.store.lineage).toEqual([]);
  });
});

describe('4. progress off a terminal', () => {
  it('logs periodic progress lines for a 20,000-object bucket, in text and as JSON', async () => {
    const shop = path.join(project.dir, 'big', 'shop');
    fs.mkdirSync(shop, { recursive: true });
    for (let i = 0; i < 20_000; i++) fs.writeFileSync(path.join(shop, `f${String(i).padStart(5, '0')}.csv`), 'id\n1\n');
    writeFile(project.dir, 'big.yaml', localConfig('big', '', '  type: file\n  config:\n    filename: out/big.json\n    format: jsonl').replace('loggerLevel: WARN', 'loggerLevel: INFO'));
    const text = await run(['ingest', '-c', 'big.yaml', '--progress-interval', '0.2']);
    expect(text.status).toBe(0);
    const lines = text.stderr.split('\n').filter((l) => l.includes('Progress:'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^\S+ INFO {2}Progress: processed \d+(\/20003 \(\d+%\))? {2}[\d.]+k?\/s {2}(ETA \d+s {2})?updated 0 {2}filtered 0 {2}warnings 0 {2}errors 0 {2}elapsed \d+s$/);
    // Once the background count of the listing is in, lines carry the total (service, database, schema,
    // 20,000 tables) and an ETA; when that happens depends on speed, so the count itself is unit-tested.
    for (const l of lines) expect(l).toMatch(/Progress: processed \d+(\/20003 \(\d+%\) {2}[\d.]+k?\/s {2}ETA \d+s| {2}[\d.]+k?\/s) {2}updated/);
    expect(text.stderr).not.toContain('\x1b[');

    const json = await run(['ingest', '-c', 'big.yaml', '--progress-interval', '0.2', '--log-format', 'json']);
    expect(json.status).toBe(0);
    const records = json.stderr.trim().split('\n').map((l) => JSON.parse(l) as { level: string; message: string; time: string });
    const progress = records.filter((r) => r.message.startsWith('Progress: processed '));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toEqual({ time: expect.any(String), level: 'INFO', message: expect.stringMatching(/errors 0 {2}elapsed/) });
  });

  it('on a terminal draws a live line, and colours only without NO_COLOR', async () => {
    // `script` gives the CLI a pseudo-terminal, as a user's shell would.
    const tty = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
      new Promise<string>((resolve, reject) => {
        const childEnv: NodeJS.ProcessEnv = { ...process.env, OM_JWT: TOKEN, ...extraEnv };
        delete childEnv.CI;
        if (!('NO_COLOR' in extraEnv)) delete childEnv.NO_COLOR;
        const command = [process.execPath, project.cli, ...args].map((a) => `'${a}'`).join(' ');
        const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: project.dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
    const live = await tty(['ingest', '-c', 'big.yaml', '--progress-interval', '0.1']);
    expect(live).toMatch(/\r\x1b\[2Kprocessed \d+/);
    expect(live).not.toMatch(/INFO {2}Progress:/);

    writeFile(project.dir, 'tty/shop/broken.parquet', 'not a parquet file');
    writeFile(project.dir, 'tty.yaml', localConfig('tty', '', '  type: console'));
    expect(await tty(['ingest', '-c', 'tty.yaml'])).toContain('\x1b[31mERROR\x1b[0m shop/broken.parquet');
    const plain = await tty(['ingest', '-c', 'tty.yaml'], { NO_COLOR: '1' });
    expect(plain).toMatch(/ ERROR shop\/broken\.parquet/);
    expect(plain).not.toContain('\x1b[31m');
  });

  it('refuses a progress interval that is not a positive number', async () => {
    const result = await run(['ingest', '-c', 'big.yaml', '--progress-interval', 'soon']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('give a number of seconds greater than 0');
  });
});
