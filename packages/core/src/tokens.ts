/**
 * Injection tokens. `Symbol.for` keys are shared across copies of @om/core, so a plugin built
 * against another patch release still binds to the same token.
 */
import type { InjectionToken } from 'tsyringe';
import type { StepFactory, StepKind } from './steps';

/** The `StepContext` for the step being created (a value in the step's child container). */
export const STEP_CONTEXT: InjectionToken<unknown> = Symbol.for('om.stepContext');
/** The validated workflow config of the current run. */
export const WORKFLOW_CONFIG: InjectionToken<unknown> = Symbol.for('om.workflowConfig');
export const LOGGER: InjectionToken<unknown> = Symbol.for('om.logger');
export const SECRET_MASKER: InjectionToken<unknown> = Symbol.for('om.secretMasker');

/** A capability string such as `source:datalake`, `sink:file` or `objectStore:s3`. */
export type Capability = `${string}:${string}`;

export function capabilityToken(capability: Capability): InjectionToken<unknown> {
  return Symbol.for(`om.capability:${capability}`);
}

export function stepToken(kind: StepKind, type: string): InjectionToken<StepFactory> {
  return capabilityToken(`${kind}:${type}`) as InjectionToken<StepFactory>;
}
