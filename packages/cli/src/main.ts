import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import {
  ConfigError,
  CORE_VERSION,
  createPluginRegistry,
  isUserError,
  LOG_LEVELS,
  PluginError,
  renderTable,
  Workflow,
  WorkflowExecutionError,
  type LogLevel,
  type OmRecord,
  type PluginRegistry,
} from '@om/core';
import { ConsoleLogger } from '@om/core';
import { ProgressLine } from './progress';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const CLI_DIR = path.resolve(__dirname, '..');
const CLI_VERSION: string = JSON.parse(fs.readFileSync(path.join(CLI_DIR, 'package.json'), 'utf8')).version;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** Where plugins are looked for: the cwd's node_modules chain and the CLI's own. */
export function cliRegistry(): PluginRegistry {
  return createPluginRegistry({ from: [process.cwd(), CLI_DIR] });
}

interface RunOptions {
  config: string;
  /** profile: write an HTML report with per-column histograms here. */
  report?: string;
  logLevel?: LogLevel;
  debug?: boolean;
  output: 'table' | 'json';
}

/** Runs one workflow file; returns the exit code. Shared by ingest, profile and test. */
export async function runWorkflowCommand(command: string, opts: RunOptions, io: CliIo = defaultIo): Promise<number> {
  const level: LogLevel | undefined = opts.debug ? 'DEBUG' : opts.logLevel;
  const progress = new ProgressLine();
  const registry = cliRegistry();
  const profiles: OmRecord[] = [];
  let workflow: Workflow;
  try {
    workflow = await Workflow.create(opts.config, {
      registry,
      ...(opts.report ? { onRecord: (r: OmRecord) => r.kind === 'tableProfile' && profiles.push(r) } : {}),
      file: opts.config,
      onProgress: (p) => progress.update(p),
      // With --output json, stdout carries only the JSON summary.
      ...(opts.output === 'json' ? { stdout: process.stderr } : {}),
      ...(level ? { logLevel: level } : {}),
    });
  } catch (err) {
    progress.clear();
    return reportSetupError(err, io);
  }

  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    io.stderr('\nStopping after the current record (press Ctrl-C again to abort)...\n');
    void workflow.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await workflow.execute();
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
      io.stderr(`Cannot write the report ${opts.report}: ${(err as Error).message}\n`);
      return EXIT_FAILED;
    }
  }

  if (opts.output === 'json') {
    io.stdout(`${workflow.masker.redact(JSON.stringify({ command, ...workflow.summary() }, null, 2))}\n`);
  } else {
    workflow.printStatus((t) => io.stdout(t), { debug: level === 'DEBUG' });
  }
  try {
    workflow.raiseFromStatus();
  } catch (err) {
    if (err instanceof WorkflowExecutionError) {
      io.stderr(`${err.message}\n`);
      return EXIT_FAILED;
    }
    throw err;
  }
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

function reportSetupError(err: unknown, io: CliIo): number {
  if (err instanceof ConfigError || err instanceof PluginError) {
    io.stderr(`${err.message}\n`);
    return EXIT_USAGE;
  }
  if (isUserError(err)) {
    io.stderr(`${err.message}\n`);
    return EXIT_FAILED;
  }
  io.stderr(`Failed to set up the workflow: ${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT_FAILED;
}

export async function listPlugins(output: 'table' | 'json', io: CliIo = defaultIo): Promise<number> {
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

export async function validateConfig(file: string, io: CliIo = defaultIo): Promise<number> {
  try {
    const wf = await Workflow.create(file, { registry: cliRegistry(), file, logger: new ConsoleLogger({ level: 'ERROR' }) });
    await wf.stop();
    io.stdout(`${file}: valid\n`);
    return EXIT_OK;
  } catch (err) {
    return reportSetupError(err, io);
  }
}

/** Parses argv and runs a command; resolves to the process exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let code = EXIT_OK;
  const program = new Command('metadata')
    .description('om-ingest: pull metadata out of data systems into OpenMetadata')
    .version(`${CLI_VERSION} (@om/core ${CORE_VERSION})`, '-v, --version')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError(true);

  const outputOption = () =>
    new Option('-o, --output <format>', 'summary format').choices(['table', 'json']).default('table');
  const workflowCommand = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .requiredOption('-c, --config <file>', 'workflow config file (.yaml, .yml or .json)')
      .addOption(new Option('-l, --log-level <level>', 'log level').choices([...LOG_LEVELS]))
      .option('--debug', 'debug logging and full detail in the summary')
      .addOption(outputOption())
      .action(async (opts: RunOptions) => {
        code = await runWorkflowCommand(name, opts, io);
      });

  workflowCommand('ingest', 'extract metadata from a source and send it to a sink');
  workflowCommand('profile', 'run the profiler workflow (source with sourceConfig type Profiler)').option(
    '--report <file>',
    'also write an HTML report with per-column histograms',
  );
  workflowCommand('test', 'run a data-quality (TestSuite) workflow');

  program
    .command('validate')
    .description('check a workflow config and the plugins it needs, without running it')
    .requiredOption('-c, --config <file>', 'workflow config file')
    .action(async (opts: { config: string }) => {
      code = await validateConfig(opts.config, io);
    });

  program
    .command('plugins')
    .description('list the installed plugins and what they provide')
    .addOption(outputOption())
    .action(async (opts: { output: 'table' | 'json' }) => {
      code = await listPlugins(opts.output, io);
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
      return EXIT_USAGE;
    }
    throw err;
  }
  return code;
}
