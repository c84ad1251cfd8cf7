/**
 * Setting up one run before any step exists: config expansion and validation, file paths, the secret
 * masker and logger, the run's child DI container, and building steps (and the dry run's plan sink)
 * from it.
 */
import * as path from 'node:path';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { TABLE_CATALOG } from '../catalog';
import { expandEnv } from '../config/env';
import { readConfigFile } from '../config/load';
import { validateWorkflowConfig, withoutExtensions, type ValidatedConfig } from '../config/validate';
import { ConfigError, PluginError } from '../errors';
import { ConsoleLogger, type Logger } from '../logger';
import { isSecretKey, SecretMasker } from '../secrets';
import { IncrementalState } from '../incremental/state';
import { configHash } from '../shard/plan';
import { PlanSink } from '../sinks/plan-sink';
import { CORE_VERSION } from '../version';
import type { Sink, Step, StepContext, StepFactory, StepKind } from '../steps';
import { LOGGER, SECRET_MASKER, STEP_CONTEXT, WORKFLOW_CONFIG, stepToken } from '../tokens';
import type { WorkflowOptions } from './options';
import { createPluginRegistry } from './registry-factory';

function registerCapabilities(container: DependencyContainer, validated: ValidatedConfig): void {
  const seen = new Set<unknown>();
  for (const c of validated.capabilities) {
    if (seen.has(c.descriptor)) continue;
    seen.add(c.descriptor);
    c.descriptor.register(container);
  }
}


export interface PreparedRun {
  validated: ValidatedConfig;
  logger: Logger;
  masker: SecretMasker;
  runContainer: DependencyContainer;
  abort: AbortController;
  /** The incremental state of a run given `options.state`. */
  incremental?: IncrementalState;
  contextFor(kind: StepKind, section: Record<string, unknown>): StepContext;
  /** The factory (or ready step) bound for the section's type; undefined when the plugin bound nothing. */
  factory(kind: StepKind, section: Record<string, unknown>): StepFactory | undefined;
  build<S extends Step>(kind: StepKind, section: Record<string, unknown>): Promise<S>;
}

/**
 * Expands environment variables, validates against the workflow schema and every needed plugin's
 * schema, and sets up the run's child DI container; steps are built from it on demand.
 */
export async function prepareRun(config: Record<string, unknown> | string, options: WorkflowOptions): Promise<PreparedRun> {
  const file = typeof config === 'string' ? config : options.file;
  const raw = typeof config === 'string' ? readConfigFile(config) : config;
  const expanded = expandEnv(raw, options.env ?? process.env);
  if (expanded.violations.length > 0) throw new ConfigError(expanded.violations, file);
  let value = expanded.value;
  if (!value.sink && options.defaultSink) value = { ...value, sink: options.defaultSink };
  const registry = options.registry ?? createPluginRegistry();
  const validated = await validateWorkflowConfig(value, registry, file);
  if (!validated.config.sink) {
    throw ConfigError.single('sink', 'required key "sink" is missing', 'add e.g. sink: {type: console} or sink: {type: file, config: {filename: out.json}}', file);
  }

  // Relative paths in the config (file sink, local store root...) resolve from the config's folder.
  const configDir = options.configDir ?? (file && file !== '-' ? path.dirname(path.resolve(file)) : process.cwd());
  resolveFilePaths(validated.config as unknown as Record<string, unknown>, validated.filePaths, configDir);

  const masker = new SecretMasker();
  masker.collectFrom(validated.config, validated.secretPaths);
  const logger =
    options.logger ??
    new ConsoleLogger({
      level: options.logLevel ?? validated.config.workflowConfig.loggerLevel ?? 'INFO',
      masker,
      ...(options.logFormat ? { format: options.logFormat } : {}),
      ...(options.logColor ? { color: true } : {}),
    });
  for (const { path: at, name } of expanded.leftAsWritten) {
    // The name is part of the value: do not echo it from a secret (a password with a `$`).
    const pointer = `/${at.replace(/\[(\d+)\]/g, '.$1').split('.').join('/')}`;
    const secret = validated.secretPaths.has(pointer) || isSecretKey(at.replace(/\[\d+\]$/, '').split('.').pop() ?? '');
    logger.debug(`${at}: ${secret ? 'a "$name"' : `"$${name}"`} was left as written: no such environment variable (write $$ for a literal $)`);
  }

  const runContainer = (options.container ?? rootContainer).createChildContainer();
  runContainer.register(WORKFLOW_CONFIG, { useValue: validated.config });
  runContainer.register(LOGGER, { useValue: logger });
  runContainer.register(SECRET_MASKER, { useValue: masker });
  registerCapabilities(runContainer, validated);

  const abort = new AbortController();
  // Loaded by the workflow once the source is ready (a state in the bucket is read through it).
  const incremental = options.state ? new IncrementalState(options.state, configHash(validated.config.source), CORE_VERSION, logger, options.shard) : undefined;
  const connection = validated.config.source.serviceConnection?.config;
  const catalogConnection = connection ? withoutExtensions(connection, '/source/serviceConnection/config', validated.extensionPaths) : undefined;
  const contextFor = (kind: StepKind, section: Record<string, unknown>): StepContext => {
    const stepContainer = runContainer.createChildContainer();
    const context: StepContext = {
      kind,
      type: String(section.type),
      workflowConfig: validated.config,
      stepConfig: section,
      ...(kind === 'source' && catalogConnection ? { catalogConnection } : {}),
      configDir,
      container: stepContainer,
      stdout: options.stdout ?? process.stdout,
      logger,
      masker,
      signal: abort.signal,
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
      ...(kind === 'source' && incremental ? { incremental } : {}),
    };
    stepContainer.register(STEP_CONTEXT, { useValue: context });
    return context;
  };
  const resolve = (context: StepContext): StepFactory | Step => {
    const token = stepToken(context.kind, context.type);
    if (!context.container.isRegistered(token, true)) {
      throw new PluginError(`The plugin providing ${context.kind}:${context.type} did not register a factory for it`);
    }
    return context.container.resolve(token) as StepFactory | Step;
  };
  const isFactory = (x: StepFactory | Step): x is StepFactory => 'create' in x && typeof x.create === 'function';
  return {
    validated,
    logger,
    masker,
    runContainer,
    abort,
    ...(incremental ? { incremental } : {}),
    contextFor,
    factory(kind, section) {
      const resolved = resolve(contextFor(kind, section));
      return isFactory(resolved) ? resolved : undefined;
    },
    async build<S extends Step>(kind: StepKind, section: Record<string, unknown>): Promise<S> {
      const context = contextFor(kind, section);
      const resolved = resolve(context);
      try {
        const step = (isFactory(resolved) ? await resolved.create(context) : resolved) as S;
        step.status.redact = (t: string) => masker.redact(t);
        return step;
      } catch (err) {
        if (err instanceof Error && (err as { userError?: boolean }).userError) throw err;
        throw new PluginError(masker.redact(`Failed to create the ${kind} "${context.type}": ${(err as Error).message ?? err}`));
      }
    },
  };
}

/**
 * Makes the relative file paths a schema marks `omPath` absolute, from the config's folder. Inline
 * content some of these fields also accept (a PEM block) is left alone.
 */
function resolveFilePaths(config: Record<string, unknown>, pointers: Set<string>, configDir: string): void {
  for (const pointer of pointers) {
    const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    let node: unknown = config;
    for (const k of keys) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
    if (!node || typeof node !== 'object' || last === undefined) continue;
    const value = (node as Record<string, unknown>)[last];
    if (typeof value !== 'string' || value === '' || value.includes('\n') || value.includes('-----BEGIN') || path.isAbsolute(value)) continue;
    (node as Record<string, unknown>)[last] = path.resolve(configDir, value);
  }
}

/** The dry run's sink: plans against the catalog the configured sink's plugin binds, if any. */
export function planSink(run: PreparedRun, section: Record<string, unknown>): Sink {
  const context = run.contextFor('sink', section);
  const catalog = context.container.isRegistered(TABLE_CATALOG, true) ? context.container.resolve(TABLE_CATALOG) : undefined;
  return new PlanSink(context.type, context, catalog);
}

