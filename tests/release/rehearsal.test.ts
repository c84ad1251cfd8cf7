/**
 * Release rehearsal (docs/versioning.md): version and publish every package to a local registry,
 * then install the CLI and one plugin into an empty folder the way a user would and run an S3
 * ingest against the test S3 server; the same for the plugin template, built and tested from a copy
 * outside the repository.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import semver from 'semver';
import { adminClient, createBucket, TEST_KEYS, uniqueBucket } from '../../plugins/datalake-s3/src/testing/helpers';
import { copyRepository, publishCopy, run, startRegistry, tempDir, versionCopy, writeNpmrc, type Registry } from './rehearsal';
import { sampleTemplateYaml } from '../helpers/sample-config';
import { publishedPackages, readManifest, TEMPLATE_DIR, type Manifest } from './workspace';
import { REPO_ROOT } from '../helpers/user-project';

jest.setTimeout(600_000);

const endpoint = process.env.OM_TEST_S3_ENDPOINT;

const s3Config = (bucket: string) => `# yaml-language-server: $schema=./workflow.schema.json
source:
  type: datalake
  serviceName: rehearsal_lake
  serviceConnection:
    config:
      type: Datalake
      configSource:
        securityConfig:
          awsAccessKeyId: ${TEST_KEYS.awsAccessKeyId}
          awsSecretAccessKey: \${S3_SECRET}
          awsRegion: us-east-1
          endPointURL: ${endpoint}
      bucketName: ${bucket}
  sourceConfig:
    config:
      type: DatabaseMetadata
sink:
  type: file
  config:
    filename: out/records.json
workflowConfig:
  loggerLevel: WARN
`;

const sampleConfig = sampleTemplateYaml('out/sample.json');

describe('release rehearsal on a local npm registry', () => {
  const work = tempDir('om-release-');
  const cache = path.join(work, 'npm-cache');
  const copy = path.join(work, 'repo');
  const user = path.join(work, 'user');
  let registry: Registry;
  let released: Map<string, Manifest>;
  const coreManifest = path.join(REPO_ROOT, 'packages', 'core', 'package.json');
  const coreBefore = fs.readFileSync(coreManifest, 'utf8');
  const changesetsBefore = fs.readdirSync(path.join(REPO_ROOT, '.changeset')).sort();

  beforeAll(async () => {
    // The S3 ingest from the installed packages needs the emulator: a missing one is a failure, not a skip.
    if (!endpoint) throw new Error('OM_TEST_S3_ENDPOINT is not set: run with OM_TEST_SERVERS=fauxqs (or unset)');
    registry = await startRegistry(fs.mkdtempSync(path.join(work, 'registry-')));
    copyRepository(copy);
    versionCopy(copy);
    released = new Map(publishedPackages().map(({ dir }) => {
      const manifest = readManifest(path.join(copy, path.relative(REPO_ROOT, dir)));
      return [manifest.name, manifest];
    }));
    publishCopy(copy, registry, cache);

    fs.mkdirSync(user);
    fs.writeFileSync(path.join(user, 'package.json'), JSON.stringify({ name: 'rehearsal-user', private: true }));
    writeNpmrc(user, registry, cache);
    run('npm', ['install', '@om/cli', '@om/datalake-s3'], user);
  });

  afterAll(async () => {
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('versions every package to one version, with peer ranges that accept it, and leaves the working tree alone', () => {
    const versions = new Set([...released.values()].map((m) => m.version));
    expect(versions.size).toBe(1);
    const [version] = versions;
    const refused: string[] = [];
    for (const manifest of released.values()) {
      for (const [dep, range] of Object.entries((manifest.peerDependencies ?? {}) as Record<string, string>)) {
        if (released.has(dep) && !semver.satisfies(version, range)) refused.push(`${manifest.name}: ${dep} ${range}`);
      }
    }
    expect(refused).toEqual([]);
    expect(fs.readFileSync(coreManifest, 'utf8')).toBe(coreBefore);
    // `changeset version` consumed the changesets of the copy, not these.
    expect(fs.readdirSync(path.join(REPO_ROOT, '.changeset')).sort()).toEqual(expect.arrayContaining(changesetsBefore));
    expect(fs.readdirSync(path.join(copy, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')).toEqual([]);
  });

  it('published every package with its LICENSE and README, and no source maps', () => {
    const { version } = [...released.values()][0];
    for (const name of released.keys()) {
      expect(run('npm', ['view', `${name}@${version}`, 'version'], user).stdout.trim()).toBe(version);
    }
    const cliDir = path.join(user, 'node_modules', '@om', 'cli');
    for (const name of ['@om/cli', '@om/core', '@om/datalake', '@om/datalake-s3']) {
      const dir = path.join(user, 'node_modules', ...name.split('/'));
      expect(fs.existsSync(path.join(dir, 'LICENSE'))).toBe(true);
      expect(fs.existsSync(path.join(dir, 'README.md'))).toBe(true);
      expect(readManifest(dir).version).toBe(version);
    }
    const maps = fs.readdirSync(path.join(cliDir, 'dist'), { recursive: true }).filter((f) => String(f).endsWith('.map'));
    expect(maps).toEqual([]);
  });

  it('installs only what was asked for and one copy of core; both program names run', () => {
    const ls = JSON.parse(run('npm', ['ls', '--all', '--json'], user).stdout) as { dependencies: Record<string, unknown> };
    expect(Object.keys(ls.dependencies).sort()).toEqual(['@om/cli', '@om/datalake-s3']);
    const cores = run('npm', ['ls', '@om/core', '--all', '--parseable'], user).stdout.trim().split('\n').filter(Boolean);
    expect(new Set(cores)).toEqual(new Set([path.join(user, 'node_modules', '@om', 'core')]));
    const version = run('npx', ['--no-install', 'om-ingest', '--version'], user).stdout;
    expect(version).toMatch(/^\d+\.\d+\.\d+ \(@om\/core \d+\.\d+\.\d+\)/);
    expect(run('npx', ['--no-install', 'metadata', '--help'], user).stdout).toContain('Usage: metadata');
    expect(run('npx', ['--no-install', 'om-ingest', '--help'], user).stdout).toContain('Usage: om-ingest');
  });

  it('compiles TypeScript against the installed types without @types/node in the project', () => {
    fs.writeFileSync(path.join(user, 'check.ts'), "import { Workflow } from '@om/core';\nimport { main } from '@om/cli';\nimport { plugin } from '@om/datalake-s3';\nexport const used = [Workflow, main, plugin];\n");
    fs.writeFileSync(
      path.join(user, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true, types: [] }, files: ['check.ts'] }),
    );
    const tsc = require.resolve('typescript/bin/tsc', { paths: [path.join(__dirname, '..')] });
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], user);
  });

  it('runs an S3 ingest from the installed packages on the test S3 server', async () => {
    const bucket = uniqueBucket('rehearsal');
    const s3 = adminClient(endpoint);
    await createBucket(s3, bucket, { 'sales/orders.csv': 'id,amount,placed_at\n1,9.5,2024-01-02\n2,3,2024-01-03\n', 'sales/customers.json': '{"id":1,"name":"a"}\n' });
    s3.destroy();
    fs.writeFileSync(path.join(user, 's3.yaml'), s3Config(bucket));
    const result = run('npx', ['--no-install', 'om-ingest', 'ingest', '-c', 's3.yaml'], user, { S3_SECRET: TEST_KEYS.awsSecretAccessKey });
    expect(result.stdout).toContain('Workflow finished successfully');
    const records = JSON.parse(fs.readFileSync(path.join(user, 'out', 'records.json'), 'utf8')) as { name: string; columns?: { name: string }[] }[];
    const orders = records.find((r) => r.name === 'sales/orders.csv');
    expect(orders?.columns?.map((c) => c.name)).toEqual(['id', 'amount', 'placed_at']);
    expect(records.map((r) => r.name)).toContain('sales/customers.json');
    expect(`${result.stdout}${result.stderr}`).not.toContain(TEST_KEYS.awsSecretAccessKey);
  });

  it('prints the editor schema of what is installed, and each plugin ships its schema files', () => {
    const schema = JSON.parse(run('npx', ['--no-install', 'om-ingest', 'schema'], user).stdout);
    fs.writeFileSync(path.join(user, 'workflow.schema.json'), JSON.stringify(schema));
    expect(schema.properties.source.properties.type.enum).toEqual(['datalake', 'testsuite']);
    expect(Object.keys(schema.$defs)).toEqual(expect.arrayContaining(['objectStore.s3', 'objectStore.local']));
    const shipped = path.join(user, 'node_modules', '@om', 'datalake-s3', 'dist', 'schemas', 'objectStore.s3.schema.json');
    const printed = JSON.parse(run('npx', ['--no-install', 'om-ingest', 'schema', 'objectStore', 's3'], user).stdout);
    expect(printed).toEqual(JSON.parse(fs.readFileSync(shipped, 'utf8')));
  });

  it('the plugin template, copied outside the repository, installs, builds, tests, publishes and is discovered by the CLI', () => {
    const template = path.join(work, 'om-plugin-sample');
    fs.cpSync(TEMPLATE_DIR, template, { recursive: true, filter: (src) => !/[/\\](node_modules|dist|\.test-build)$/.test(src) });
    writeNpmrc(template, registry, cache);
    run('npm', ['install'], template);
    run('npm', ['run', 'build'], template);
    const test = run('npm', ['test'], template);
    expect(test.stdout).toMatch(/# pass 2/);
    run('npm', ['publish'], template);

    run('npm', ['install', 'om-plugin-sample'], user);
    const plugins = JSON.parse(run('npx', ['--no-install', 'om-ingest', 'plugins', '-o', 'json'], user).stdout) as { package: string; enabled: boolean }[];
    expect(plugins).toContainEqual(expect.objectContaining({ package: 'om-plugin-sample', enabled: true }));
    expect(plugins).toContainEqual(expect.objectContaining({ package: '@om/datalake-s3', enabled: true }));
    // Its schema joins the editor schema and is printed on its own.
    expect(JSON.parse(run('npx', ['--no-install', 'om-ingest', 'schema'], user).stdout).properties.source.properties.type.enum).toContain('sample');
    const sampleSchema = JSON.parse(run('npx', ['--no-install', 'om-ingest', 'schema', 'source', 'sample'], user).stdout);
    expect(sampleSchema.properties.serviceConnection.properties.config.properties.tables).toMatchObject({ type: 'array' });
    fs.writeFileSync(path.join(user, 'sample.yaml'), sampleConfig);
    run('npx', ['--no-install', 'om-ingest', 'ingest', '-c', 'sample.yaml'], user);
    const written = JSON.parse(fs.readFileSync(path.join(user, 'out', 'sample.json'), 'utf8')) as { name: string }[];
    expect(written.map((r) => r.name)).toEqual(['sample_service', 'sample_db', 'public', 'customers', 'orders']);
  });

  it('the next core minor installs under the plugins already installed, the third-party one included', () => {
    const { version } = [...released.values()][0];
    // A later release of the line with a core minor: every @om package moves to it (fixed group).
    fs.writeFileSync(path.join(copy, '.changeset', 'rehearsal-next-minor.md'), '---\n"@om/core": minor\n---\n\nThe next minor of the 0.x line.\n');
    versionCopy(copy);
    const next = readManifest(path.join(copy, 'packages', 'core')).version;
    expect(next).toBe(semver.inc(version, 'minor'));
    publishCopy(copy, registry, cache);

    run('npm', ['install', `@om/cli@${next}`, `@om/datalake-s3@${next}`], user);
    expect(readManifest(path.join(user, 'node_modules', '@om', 'core')).version).toBe(next);
    expect(readManifest(path.join(user, 'node_modules', 'om-plugin-sample')).version).toBe('0.1.0');
    const plugins = JSON.parse(run('npx', ['--no-install', 'om-ingest', 'plugins', '-o', 'json'], user).stdout) as { package: string; version: string; enabled: boolean }[];
    expect(plugins.filter((p) => !p.enabled)).toEqual([]);
    expect(plugins).toContainEqual(expect.objectContaining({ package: 'om-plugin-sample', enabled: true }));
    expect(plugins).toContainEqual(expect.objectContaining({ package: '@om/core', version: next }));
    fs.rmSync(path.join(user, 'out', 'sample.json'));
    run('npx', ['--no-install', 'om-ingest', 'ingest', '-c', 'sample.yaml'], user);
    expect(JSON.parse(fs.readFileSync(path.join(user, 'out', 'sample.json'), 'utf8'))).toHaveLength(5);
  });
});
