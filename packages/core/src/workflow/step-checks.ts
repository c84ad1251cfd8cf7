/** A step's `prepare()` and connection checks, as the workflow runs them. */
import { assertConnectionChecks, runConnectionChecks, type ConnectionCheckResult } from '../connection';
import { PluginError } from '../errors';
import type { SecretMasker } from '../secrets';
import type { Source, Step, StepKind } from '../steps';

/** A step's own checks, or its `testConnection` as one check. */
export async function stepConnectionResults(step: Step, label: string, masker: SecretMasker): Promise<ConnectionCheckResult[]> {
  if (step.connectionChecks) return runConnectionChecks(label, step.connectionChecks(), (t) => masker.redact(t));
  const test = (step as Source).testConnection;
  if (typeof test === 'function') return runConnectionChecks(label, [{ name: 'connect', run: () => test.call(step) }], (t) => masker.redact(t));
  return [{ step: label, name: 'connect', ok: true, detail: 'nothing to check (this step connects to nothing)' }];
}

/** A step's `prepare()`; a failure that is not the user's becomes a PluginError naming the step. */
export async function prepareStep(step: Step, kind: StepKind, type: string, masker: SecretMasker): Promise<void> {
  try {
    await step.prepare?.();
  } catch (err) {
    if (err instanceof Error && (err as { userError?: boolean }).userError) throw err;
    throw new PluginError(masker.redact(`Failed to create the ${kind} "${type}": ${(err as Error).message ?? err}`));
  }
}

export async function checkSourceConnection(source: Source, type: string, masker: SecretMasker): Promise<void> {
  if (!source.connectionChecks && typeof source.testConnection !== 'function') return;
  assertConnectionChecks(await stepConnectionResults(source, `source ${type}`, masker));
}
