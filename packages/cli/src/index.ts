// Public types use Node's (streams, env); @types/node is a dependency, so say so in the .d.ts.
/// <reference types="node" preserve="true" />
export { main, programNameFor, PROGRAM_NAMES, runWorkflowCommand, listPlugins, validateConfig, testConnection, cliRegistry, useColor, EXIT_OK, EXIT_FAILED, EXIT_USAGE } from './main';
export type { CliIo, ProgramName } from './main';
export { readConfigInput } from './config-input';
export { checkWorkflowKind, workflowKindOf } from './workflow-kind';
export { formatProgress, ProgressReporter } from './progress';
