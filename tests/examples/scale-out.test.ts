/**
 * The deployable scale-out examples (examples/scale-out): the Airflow DAGs compile, the Kubernetes
 * manifests parse and wire the shards as documented, the ConfigMap's workflow config validates with
 * the built CLI, and every CLI option the examples use exists.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/user-project';

const CLI = path.join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');
const DIR = path.join(REPO_ROOT, 'examples', 'scale-out');
const K8S = path.join(DIR, 'kubernetes');
const DAGS = ['datalake_sharded_dag.py', 'datalake_sharded_k8s_dag.py'].map((f) => path.join(DIR, 'airflow', f));
const COMMANDS = ['plan', 'ingest', 'finalize'] as const;
type Command = (typeof COMMANDS)[number];

// The yaml package the config loader uses (a dependency of @om/core, not of the tests package).
const YAML = createRequire(path.join(REPO_ROOT, 'packages', 'core', 'package.json'))('yaml') as {
  parseAllDocuments(text: string): { errors: unknown[]; toJS(): unknown } | { errors: unknown[]; toJS(): unknown }[];
};

interface Container {
  name: string;
  command?: string[];
  args?: string[];
  env?: { name: string; valueFrom?: { fieldRef?: { fieldPath?: string } } }[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

function parseManifests(file: string): { errors: string[]; docs: Manifest[] } {
  const parsed = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  return { errors: docs.flatMap((d) => d.errors.map(String)), docs: docs.map((d) => d.toJS() as Manifest).filter(Boolean) };
}

const manifests = fs
  .readdirSync(K8S)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((file) => ({ file, ...parseManifests(path.join(K8S, file)) }));

function job(name: string): Manifest {
  const found = manifests.flatMap((m) => m.docs).find((d) => d.kind === 'Job' && d.metadata.name === name);
  if (!found) throw new Error(`no Job ${name} in ${K8S}`);
  return found;
}

function containers(m: Manifest): Container[] {
  const template = m.spec?.template as { spec: { containers: Container[] } };
  return template.spec.containers;
}

/** A container's command line as one string (command then args), as the examples write it. */
function commandLine(m: Manifest): string {
  return containers(m)
    .map((c) => [...(c.command ?? []), ...(c.args ?? [])].join(' '))
    .join('\n');
}

/**
 * Each `--option` of a text, attributed to the om-ingest subcommand it follows: `om-ingest plan`,
 * `{OM_INGEST} ingest` (a Python f-string) or `["finalize", ...` (an argument list).
 */
function optionsByCommand(text: string): { command: Command | undefined; option: string }[] {
  const token = /(?:om-ingest\s+|OM_INGEST\}\s+|\[\s*["'])(plan|ingest|finalize)\b|(?<![\w-])(--[a-z][a-z-]*)/g;
  const out: { command: Command | undefined; option: string }[] = [];
  let command: Command | undefined;
  for (const m of text.matchAll(token)) {
    if (m[1]) command = m[1] as Command;
    else out.push({ command, option: m[2] });
  }
  return out;
}

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('examples/scale-out', () => {
  it('the Airflow DAGs are valid Python (syntax only: Airflow need not be installed)', () => {
    const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    // The .pyc files go to a temporary folder, not into examples/.
    const env = { ...process.env, PYTHONPYCACHEPREFIX: fs.mkdtempSync(path.join(os.tmpdir(), 'om-dag-')) };
    for (const dag of DAGS) {
      const r = spawnSync(python, ['-m', 'py_compile', dag], { encoding: 'utf8', env });
      expect({ dag, status: r.status, stderr: r.stderr }).toEqual({ dag, status: 0, stderr: '' });
    }
  });

  it('the DAGs map a BashOperator / KubernetesPodOperator over the shards and finalize with all_done', () => {
    const [bash, pod] = DAGS.map((f) => fs.readFileSync(f, 'utf8'));
    expect(bash).toMatch(/BashOperator\.partial\([\s\S]*?\)\.expand\(\s*bash_command=/);
    expect(pod).toContain('from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator');
    expect(pod).toMatch(/KubernetesPodOperator\.partial\([\s\S]*?\)\.expand\(\s*arguments=/);
    expect(pod).toContain('IMAGE = "om-ingest:latest"');
    for (const text of [bash, pod]) {
      expect(text).toMatch(/task_id="finalize",[\s\S]*?trigger_rule="all_done"/);
      expect(text).toContain('plan >> indexes >> ingest >> finalize');
      expect(text).not.toMatch(/\bmetadata (plan|ingest|finalize)\b/);
    }
  });

  it('every Kubernetes manifest parses; the Indexed Job runs one shard per completion index', () => {
    expect(manifests.map((m) => m.file)).toEqual(
      expect.arrayContaining(['configmap.yaml', 'finalize-job.yaml', 'indexed-job.yaml', 'plan-job.yaml', 'shared-pvc.yaml']),
    );
    for (const { file, errors, docs } of manifests) {
      expect({ file, errors }).toEqual({ file, errors: [] });
      expect(docs.length).toBeGreaterThan(0);
      for (const d of docs) expect({ file, apiVersion: typeof d.apiVersion, kind: typeof d.kind, name: typeof d.metadata?.name }).toEqual({ file, apiVersion: 'string', kind: 'string', name: 'string' });
    }

    const shards = job('om-ingest-shards');
    expect(shards.apiVersion).toBe('batch/v1');
    expect(shards.spec?.completionMode).toBe('Indexed');
    expect(shards.spec?.completions).toBe(shards.spec?.parallelism);
    const line = commandLine(shards);
    expect(line).toMatch(/^om-ingest ingest /);
    expect(line).toContain('--shard /shared/plan.json#$(JOB_COMPLETION_INDEX)');
    expect(line).toContain('--shard-report /shared/reports/shard-$(JOB_COMPLETION_INDEX).json');
    // The shards and finalize share one incremental state file (finalize merges the shards' files).
    expect(line).toContain('--state /shared/state/lake.json');
    // $(VAR) is expanded by Kubernetes only for a variable declared in the container's env.
    const index = containers(shards)[0].env?.find((e) => e.name === 'JOB_COMPLETION_INDEX');
    expect(index?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");

    // The plan cuts as many shards as the Indexed Job runs.
    const plan = commandLine(job('om-ingest-plan'));
    expect(plan).toMatch(/om-ingest plan -c \/config\/lake\.yaml --shards (\d+) --out \/shared\/plan\.json/);
    expect(Number(/--shards (\d+)/.exec(plan)?.[1])).toBe(shards.spec?.completions);

    expect(commandLine(job('om-ingest-finalize'))).toMatch(/^om-ingest finalize -c \/config\/lake\.yaml --reports \/shared\/reports --state \/shared\/state\/lake\.json$/);
  });

  it("the ConfigMap's lake.yaml validates offline with the built CLI", () => {
    const configMap = manifests.flatMap((m) => m.docs).find((d) => d.kind === 'ConfigMap');
    const lake = configMap?.data?.['lake.yaml'];
    expect(typeof lake).toBe('string');
    // No secret value in the ConfigMap: the credentials are ${VAR} references.
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'OM_JWT_TOKEN']) expect(lake).toContain(`\${${name}}`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'om-scale-out-')), 'lake.yaml');
    fs.writeFileSync(file, lake as string);
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const m of (lake as string).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}/g)) {
      if (m[2]) delete env[m[1]]; // use the config's default
      else env[m[1]] = `dummy-${m[1].toLowerCase()}`;
    }
    const r = cli(['validate', '-c', file], env);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toContain('valid');
  });

  it('the DAGs and the Job manifests use only options the CLI has', () => {
    const help = Object.fromEntries(
      COMMANDS.map((c) => {
        const r = cli([c, '--help']);
        expect(r.status).toBe(0);
        return [c, new Set(r.stdout.match(/--[a-z][a-z-]*/g) ?? [])];
      }),
    ) as Record<Command, Set<string>>;

    const sources = [
      ...DAGS.map((f) => ({ where: path.relative(REPO_ROOT, f), text: fs.readFileSync(f, 'utf8') })),
      ...manifests.flatMap(({ file, docs }) =>
        docs.filter((d) => d.kind === 'Job').map((d) => ({ where: `${file} (${d.metadata.name})`, text: commandLine(d) })),
      ),
    ];
    const seen = new Set<string>();
    for (const { where, text } of sources) {
      const used = optionsByCommand(text);
      expect(used.length).toBeGreaterThan(0);
      for (const { command, option } of used) {
        seen.add(`${command} ${option}`);
        // An option outside any om-ingest command (or one the command lacks) shows here with its file.
        expect({ where, command, option, known: command !== undefined && help[command].has(option) }).toEqual({ where, command, option, known: true });
      }
    }
    // The options the sharded run depends on were all found (so the attribution above did run).
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['finalize --reports', 'ingest --shard', 'ingest --shard-report', 'plan --out', 'plan --shards']),
    );
  });
});
