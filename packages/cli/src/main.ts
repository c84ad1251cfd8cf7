import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  absoluteLocation,
  CORE_VERSION,
  createPluginRegistry,
  LOG_FORMATS,
  LOG_LEVELS,
  renderTable,
  Workflow,
  WorkflowExecutionError,
  shardContextFor,
  type LogFormat,
  type LogLevel,
  type OmRecord,
  type PluginRegistry,
} from '@om/core';
import { readConfigInput, type ConfigInput } from './config-input';
import { dbtProjectInput } from './ingest-dbt';
import { describeSetupFailure, EXIT_FAILED, EXIT_OK, EXIT_USAGE, renderChecks, type CliIo } from './output';
import { DEFAULT_PROGRESS_INTERVAL_SECONDS, ProgressReporter } from './progress';
import { checkWorkflowKind, type WorkflowCommand } from './workflow-kind';
import { schemaFor } from './schema-command';
import { defaultReportFile, finalizeCommand, planCommand, writeShardReport } from './shard-commands';

export { EXIT_OK, EXIT_FAILED, EXIT_USAGE };
export type { CliIo };

const CLI_DIR = path.resolve(__dirname, '..');
const CLI_VERSION: string = JSON.parse(fs.readFileSync(path.join(CLI_DIR, 'package.json'), 'utf8')).version;


const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

/** Where plugins are looked for: the cwd's node_modules chain and the CLI's own. */
export function cliRegistry(): PluginRegistry {
  return createPluginRegistry({ from: [process.cwd(), CLI_DIR] });
}

type Output = 'table' | 'json';

interface RunOptions {
  config: string;
  /** profile: write an HTML report with per-column histograms here. */
  report?: string;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  debug?: boolean;
  output: Output;
  progressInterval?: number;
  dryRun?: boolean;
  /** ingest: run one shard (`3/16` or `plan.json#3`) and write its report for `metadata finalize`. */
  shard?: string;
  shardReport?: string;
  /** ingest: the incremental state file (read only new or changed tables). */
  state?: string;
  /** Builds the config instead of reading `config` as a file (ingest-dbt: a dbt project folder). */
  input?: (registry: PluginRegistry) => ConfigInput;
}

function printFailure(err: unknown, command: string, output: Output, io: CliIo): number {
  const failure = describeSetupFailure(err, command);
  io.stderr(`${failure.text}\n`);
  if (output === 'json') io.stdout(`${JSON.stringify(failure.json, null, 2)}\n`);
  return failure.exitCode;
}

function loadConfig(command: string, spec: string, output: Output, io: CliIo): ConfigInput | number {
  try {
    return readConfigInput(spec);
  } catch (err) {
    return printFailure(err, command, output, io);
  }
}

/** Reads the config and runs `command` on it; a bad config or a failure to start is printed as for every command. */
async function withConfig(command: string, spec: string, output: Output, io: CliIo, run: (input: ConfigInput) => Promise<number>): Promise<number> {
  const input = loadConfig(command, spec, output, io);
  if (typeof input === 'number') return input;
  try {
    return await run(input);
  } catch (err) {
    return printFailure(err, command, output, io);
  }
}

/** Runs one workflow file; returns the exit code. Shared by ingest, profile and test. */
export async function runWorkflowCommand(command: WorkflowCommand, opts: RunOptions, io: CliIo = defaultIo): Promise<number> {
  const level: LogLevel | undefined = opts.debug ? 'DEBUG' : opts.logLevel;
  const color = useColor() && opts.logFormat !== 'json';
  const progress = new ProgressReporter({
    ...(opts.progressInterval !== undefined ? { intervalSeconds: opts.progressInterval } : {}),
    color,
    // JSON logs are for collectors: no live line even on a terminal.
    ...(opts.logFormat === 'json' ? { live: false } : {}),
  });
  const registry = cliRegistry();
  let input: ConfigInput | number;
  try {
    input = opts.input ? opts.input(registry) : loadConfig(command, opts.config, opts.output, io);
  } catch (err) {
    input = printFailure(err, command, opts.output, io);
  }
  if (typeof input === 'number') return input;
  const profiles: OmRecord[] = [];
  let workflow: Workflow;
  let sharded: Awaited<ReturnType<typeof shardContextFor>> | undefined;
  try {
    checkWorkflowKind(command, input.raw, input.label);
    if (opts.shard) sharded = await shardContextFor(input.raw, opts.shard, { registry, file: input.label, configDir: input.configDir });
    workflow = await Workflow.create(input.raw, {
      ...(sharded ? { shard: sharded.shard } : {}),
      ...(opts.state ? { state: absoluteLocation(opts.state) } : {}),
      registry,
      ...(opts.report ? { onRecord: (r: OmRecord) => r.kind === 'tableProfile' && profiles.push(r) } : {}),
      file: input.label,
      configDir: input.configDir,
      onProgress: (p) => progress.update(p),
      progressIntervalMs: progress.tickMs,
      // With --output json, stdout carries only the JSON summary.
      ...(opts.output === 'json' ? { stdout: process.stderr } : {}),
      ...(level ? { logLevel: level } : {}),
      ...(opts.logFormat ? { logFormat: opts.logFormat } : {}),
      ...(color ? { logColor: true } : {}),
      ...(opts.dryRun ? { dryRun: true } : {}),
    });
  } catch (err) {
    progress.clear();
    return printFailure(err, command, opts.output, io);
  }
  progress.log = (line) => workflow.logger.info(line);

  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    io.stderr('\nStopping after the current record (press Ctrl-C again to abort)...\n');
    void workflow.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const errors: { message: string }[] = [];
  try {
    await workflow.execute();
    // Before the steps close: a report in the bucket is written through the source's store.
    if (sharded) {
      const file = opts.shardReport ?? defaultReportFile(sharded.shard);
      try {
        await writeShardReport(workflow, sharded.shard, sharded.plan, file);
        io.stderr(`Shard ${sharded.shard.index} of ${sharded.shard.of}: report written to ${file}\n`);
      } catch (err) {
        errors.push({ message: `Cannot write the shard report ${file}: ${(err as Error).message}` });
      }
    }
  } finally {
    await workflow.stop();
    progress.clear();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }

  if (opts.report) {
    try {
      await writeProfileReport(registry, opts.report, profiles, opts.config);
      io.stderr(`HTML report with ${profiles.length} table profile(s) written to ${opts.report}\n`);
    } catch (err) {
      errors.push({ message: `Cannot write the report ${opts.report}: ${(err as Error).message}` });
    }
  }
  try {
    workflow.raiseFromStatus();
  } catch (err) {
    if (!(err instanceof WorkflowExecutionError || (err as { name?: string }).name === 'WorkflowExecutionError')) throw err;
    errors.push({ message: (err as Error).message });
  }

  if (opts.output === 'json') {
    const summary = { command, ...(opts.dryRun ? { dryRun: true } : {}), ...workflow.summary(), errors };
    io.stdout(`${workflow.masker.redact(JSON.stringify(summary, null, 2))}\n`);
  } else {
    workflow.printStatus((t) => io.stdout(t), { debug: level === 'DEBUG' });
  }
  for (const e of errors) io.stderr(`${workflow.masker.redact(e.message)}\n`);
  if (errors.length > 0) return EXIT_FAILED;
  return interrupted ? EXIT_FAILED : EXIT_OK;
}

/** The HTML renderer lives with the profiler plugin; load it from wherever that is installed. */
async function writeProfileReport(registry: PluginRegistry, file: string, profiles: OmRecord[], title: string): Promise<void> {
  const entry = registry.entryFor('processor:orm-profiler');
  const descriptorModule = entry.dir ? (require(entry.dir) as { renderProfileHtml?: (r: OmRecord[], t?: string) => string }) : undefined;
  if (!descriptorModule?.renderProfileHtml) throw new Error(`${entry.packageName} has no HTML report renderer`);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, descriptorModule.renderProfileHtml(profiles, `Profile: ${path.basename(title)}`));
}

export async function listPlugins(output: Output, io: CliIo = defaultIo): Promise<number> {
  const plugins = cliRegistry().list();
  if (output === 'json') {
    io.stdout(`${JSON.stringify(plugins, null, 2)}\n`);
    return EXIT_OK;
  }
  const rows = plugins.map((p) => [
    p.package,
    p.version,
    p.provides.join(', '),
    p.enabled ? 'enabled' : `disabled: ${p.reason ?? ''}`,
  ]);
  io.stdout(`${renderTable(['Package', 'Version', 'Provides', 'Status'], rows, 120)}\n`);
  return EXIT_OK;
}

/**
 * Runs the source's and the sink's connection checks and prints one line per check.
 * Exit 0 when every check passed, 1 when one failed, 2 for an invalid config.
 */
export async function testConnection(spec: string, output: Output, io: CliIo = defaultIo, command = 'test-connection'): Promise<number> {
  const input = loadConfig(command, spec, output, io);
  if (typeof input === 'number') return input;
  let results;
  try {
    results = await Workflow.testConnections(input.raw, { registry: cliRegistry(), file: input.label, configDir: input.configDir, logLevel: 'ERROR' });
  } catch (err) {
    return printFailure(err, command, output, io);
  }
  const ok = results.every((r) => r.ok);
  if (output === 'json') {
    const errors = results.filter((r) => !r.ok && !r.skipped).map((r) => ({ message: `${r.step}: ${r.name}: ${r.detail ?? 'failed'}` }));
    io.stdout(`${JSON.stringify({ command, config: input.label, ok, checks: results, errors }, null, 2)}\n`);
  } else {
    io.stdout(`${renderChecks(results, useColor(process.stdout))}\n`);
    io.stdout(ok ? `${input.label}: every connection check passed\n` : `${input.label}: connection test failed\n`);
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}

/** Offline: schemas, plugins, environment variables. `--connect` also runs the connection checks. */
export async function validateConfig(spec: string, options: { connect?: boolean; output?: Output } = {}, io: CliIo = defaultIo): Promise<number> {
  const output = options.output ?? 'table';
  if (options.connect) return testConnection(spec, output, io, 'validate');
  const input = loadConfig('validate', spec, output, io);
  if (typeof input === 'number') return input;
  try {
    await Workflow.validate(input.raw, { registry: cliRegistry(), file: input.label, configDir: input.configDir, logLevel: 'ERROR' });
  } catch (err) {
    return printFailure(err, 'validate', output, io);
  }
  if (output === 'json') io.stdout(`${JSON.stringify({ command: 'validate', config: input.label, valid: true, errors: [] }, null, 2)}\n`);
  else io.stdout(`${input.label}: valid (offline: schemas, plugins and environment variables; add --connect to test the connections)\n`);
  return EXIT_OK;
}

/** Prints a JSON Schema (see schema-command.ts); exit 2 when the plugin is not installed. */
export async function printSchema(kind: string | undefined, type: string | undefined, io: CliIo = defaultIo): Promise<number> {
  if (kind && !type) {
    io.stderr(`error: give the ${kind} type too, e.g. "schema ${kind} ${kind === 'sink' ? 'file' : kind === 'processor' ? 'orm-profiler' : 'datalake'}" (see "plugins" for what is installed)\n`);
    return EXIT_USAGE;
  }
  try {
    io.stdout(`${JSON.stringify(await schemaFor(cliRegistry(), kind, type), null, 2)}\n`);
    return EXIT_OK;
  } catch (err) {
    return printFailure(err, 'schema', 'table', io);
  }
}

function wantsJson(argv: string[]): boolean {
  return argv.some((a, i) => a === '--output=json' || a === '-ojson' || ((a === '-o' || a === '--output') && argv[i + 1] === 'json'));
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('give a whole number, at least 1.');
  return n;
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('give a number of seconds greater than 0.');
  return n;
}

/** The executable names the package installs (package.json "bin"); `metadata` is OpenMetadata's. */
export const PROGRAM_NAMES = ['metadata', 'om-ingest'] as const;
export type ProgramName = (typeof PROGRAM_NAMES)[number];

/** The name the program was started under (the bin link's name), `metadata` when unknown. */
export function programNameFor(scriptPath: string | undefined): ProgramName {
  const base = scriptPath ? path.basename(scriptPath).replace(/\.(c?js|cmd|ps1)$/, '') : '';
  return (PROGRAM_NAMES as readonly string[]).includes(base) ? (base as ProgramName) : 'metadata';
}

/** Parses argv and runs a command; resolves to the process exit code. */
export async function main(argv: string[], io: CliIo = defaultIo, programName: ProgramName = 'metadata'): Promise<number> {
  let code = EXIT_OK;
  const program = new Command(programName)
    .description('om-ingest: pull metadata out of data systems into OpenMetadata')
    .version(`${CLI_VERSION} (@om/core ${CORE_VERSION})`, '-v, --version')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError(true);

  const outputOption = () =>
    new Option('-o, --output <format>', 'summary format (json: one JSON object on stdout, also for errors)').choices(['table', 'json']).default('table');
  const configOption = '-c, --config <file>';
  const configHelp = 'workflow config file (.yaml, .yml or .json), or - to read it from standard input';
  const workflowCommand = (name: WorkflowCommand | 'ingest-dbt', description: string) =>
    program
      .command(name)
      .description(description)
      .requiredOption(
        name === 'ingest-dbt' ? '-c, --config <folder>' : configOption,
        name === 'ingest-dbt' ? 'the dbt project folder (holds dbt_project.yml and target/)' : configHelp,
      )
      .addOption(new Option('-l, --log-level <level>', 'log level').choices([...LOG_LEVELS]))
      .addOption(new Option('--log-format <format>', 'log line format (json: one object per line, for log collectors)').choices([...LOG_FORMATS]))
      .option(
        '--progress-interval <seconds>',
        `seconds between progress updates: the live line on a terminal (default 1), a log line elsewhere (default ${DEFAULT_PROGRESS_INTERVAL_SECONDS})`,
        positiveSeconds,
      )
      .option('--dry-run', 'read the source and list the planned creates, updates and deletes; send nothing')
      .option('--debug', 'debug logging and full detail in the summary')
      .addOption(outputOption())
      .action(async (opts: RunOptions) => {
        code =
          name === 'ingest-dbt'
            ? await runWorkflowCommand('ingest', { ...opts, input: (registry) => dbtProjectInput(registry, opts.config) }, io)
            : await runWorkflowCommand(name, opts, io);
      });

  workflowCommand('ingest', 'run a metadata (DatabaseMetadata) or dbt workflow: extract metadata from a source into a sink')
    .option('--shard <shard>', 'run one shard of a split run: INDEX/COUNT (planned again) or plan.json#INDEX (from metadata plan); deletes nothing')
    .option('--shard-report <file>', 'where the shard run writes its report for metadata finalize (default shard-INDEX-of-COUNT.json)')
    .option('--state <file>', 'incremental run: read only tables new or changed since the state was written, then update it (a shard keeps FILE.shard-I-of-N)');
  workflowCommand('profile', 'run a Profiler workflow (sourceConfig type Profiler)')
    .option('--report <file>', 'also write an HTML report with per-column histograms')
    .option('--shard <shard>', 'profile one shard of a split run (the tables whose keys are in its ranges): INDEX/COUNT or plan.json#INDEX')
    .option('--shard-report <file>', 'where the shard run writes its report for metadata finalize (default shard-INDEX-of-COUNT.json)');
  workflowCommand('test', 'run a data-quality (TestSuite) workflow');
  workflowCommand('ingest-dbt', "ingest a dbt project as OpenMetadata's command does: dbt_project.yml vars, target/ artifacts");
  workflowCommand('classify', 'run an AutoClassification workflow (sourceConfig type AutoClassification): sample data and PII tags');

  program
    .command('plan')
    .description('split a metadata run into shards (by bucket and key range) for parallel runs with ingest --shard')
    .requiredOption(configOption, configHelp)
    .requiredOption('--shards <count>', 'how many shards', wholeNumber)
    .option('--out <file>', 'write the plan here (default: print it)')
    .action(async (opts: { config: string; shards: number; out?: string }) => {
      code = await withConfig('plan', opts.config, 'table', io, (input) => planCommand(input, cliRegistry(), opts.shards, opts.out, io));
    });

  program
    .command('finalize')
    .description('merge the reports of a sharded run: one summary, then mark deleted what every shard saw completely')
    .requiredOption(configOption, configHelp)
    .requiredOption('--reports <folder>', 'the folder the shard runs wrote their reports to')
    .option('--state <file>', 'merge the shards\' incremental states (FILE.shard-I-of-N, from ingest --state FILE) into FILE')
    .addOption(outputOption())
    .action(async (opts: { config: string; reports: string; state?: string; output: Output }) => {
      code = await withConfig('finalize', opts.config, opts.output, io, (input) => finalizeCommand(input, cliRegistry(), opts.reports, opts.output, io, opts.state));
    });

  program
    .command('validate')
    .description('check a workflow config offline (schemas, plugins, environment variables), without running it')
    .requiredOption(configOption, configHelp)
    .option('--connect', 'also run the connection checks of the source and the sink (like test-connection)')
    .addOption(outputOption())
    .action(async (opts: { config: string; connect?: boolean; output: Output }) => {
      code = await validateConfig(opts.config, opts, io);
    });

  program
    .command('test-connection')
    .description("run the source's and the sink's connection checks; one line per check")
    .requiredOption(configOption, configHelp)
    .addOption(outputOption())
    .action(async (opts: { config: string; output: Output }) => {
      code = await testConnection(opts.config, opts.output, io);
    });

  program
    .command('plugins')
    .description('list the installed plugins and what they provide')
    .addOption(outputOption())
    .action(async (opts: { output: Output }) => {
      code = await listPlugins(opts.output, io);
    });

  program
    .command('schema')
    .argument('[kind]', 'source, sink, processor (or objectStore)')
    .argument('[type]', 'the type, as in the config: datalake, metadata-rest, orm-profiler, s3...')
    .description('print the JSON Schema of an installed plugin\'s config; without arguments, the workflow schema of every installed plugin (for editors)')
    .action(async (kind?: string, type?: string) => {
      code = await printSchema(kind, type, io);
    });

  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK;
      // -o json promises one JSON object on stdout, also for a usage error (commander wrote the text to stderr).
      if (wantsJson(argv)) {
        const command = argv.find((a) => !a.startsWith('-')) ?? '';
        io.stdout(`${JSON.stringify({ command, state: 'invalid', exitCode: EXIT_USAGE, errors: [{ message: err.message.replace(/^error: /, '') }] }, null, 2)}\n`);
      }
      return EXIT_USAGE;
    }
    throw err;
  }
  return code;
}
