export { main, runWorkflowCommand, listPlugins, validateConfig, cliRegistry, EXIT_OK, EXIT_FAILED, EXIT_USAGE } from './main';
export type { CliIo } from './main';
