/**
 * Which workflow a config describes, and which subcommand runs it (as OpenMetadata's `metadata
 * ingest | profile | test | classify` each build one workflow class): running a Profiler config with `ingest`
 * is a usage error, not a silent metadata run.
 */
import { ConfigError } from '@om/core';

export type WorkflowKind = 'DatabaseMetadata' | 'dbt' | 'Profiler' | 'TestSuite' | 'AutoClassification';

export type WorkflowCommand = 'ingest' | 'profile' | 'test' | 'classify';

const COMMAND_FOR: Record<WorkflowKind, WorkflowCommand> = { DatabaseMetadata: 'ingest', dbt: 'ingest', Profiler: 'profile', TestSuite: 'test', AutoClassification: 'classify' };

const ACCEPTS: Record<WorkflowCommand, string> = {
  ingest: 'DatabaseMetadata and dbt workflows',
  profile: 'Profiler workflows',
  test: 'TestSuite workflows',
  classify: 'AutoClassification workflows',
};

/** The kind from `source.type` and `source.sourceConfig.config.type` (the field OpenMetadata uses). */
export function workflowKindOf(raw: Record<string, unknown>): { kind: WorkflowKind; from: string } | undefined {
  const source = raw.source as { type?: unknown; sourceConfig?: { config?: { type?: unknown } } } | undefined;
  if (!source || typeof source !== 'object') return undefined;
  const pipelineType = source.sourceConfig?.config?.type;
  if (source.type === 'dbt' || pipelineType === 'DBT') return { kind: 'dbt', from: source.type === 'dbt' ? 'source.type' : 'source.sourceConfig.config.type' };
  if (source.type === 'testsuite' || pipelineType === 'TestSuite') return { kind: 'TestSuite', from: source.type === 'testsuite' ? 'source.type' : 'source.sourceConfig.config.type' };
  if (pipelineType === 'Profiler') return { kind: 'Profiler', from: 'source.sourceConfig.config.type' };
  if (pipelineType === 'AutoClassification') return { kind: 'AutoClassification', from: 'source.sourceConfig.config.type' };
  if (pipelineType === undefined || pipelineType === 'DatabaseMetadata') return { kind: 'DatabaseMetadata', from: 'source.sourceConfig.config.type' };
  return undefined;
}

/** Throws a ConfigError (exit 2) when `command` does not run the config's workflow kind. */
export function checkWorkflowKind(command: WorkflowCommand, raw: Record<string, unknown>, label: string): void {
  const found = workflowKindOf(raw);
  if (!found) return; // an unknown pipeline type: the schemas report it
  const wanted = COMMAND_FOR[found.kind];
  if (wanted === command) return;
  throw ConfigError.single(
    found.from,
    `metadata ${command} runs ${ACCEPTS[command]}, but this config is ${/^[AEIOU]/.test(found.kind) ? 'an' : 'a'} ${found.kind} workflow`,
    `run it with: metadata ${wanted} -c ${label === '<stdin>' ? '-' : label}`,
    label,
  );
}
