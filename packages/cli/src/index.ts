export { main, runWorkflowCommand, listPlugins, validateConfig, testConnection, cliRegistry, useColor, EXIT_OK, EXIT_FAILED, EXIT_USAGE } from './main';
export type { CliIo } from './main';
export { readConfigInput } from './config-input';
export { checkWorkflowKind, workflowKindOf } from './workflow-kind';
export { formatProgress, ProgressReporter } from './progress';
