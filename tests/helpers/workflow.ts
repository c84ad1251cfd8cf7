/** Shared by the end-to-end tests: a registry of the given plugins (plus core's), and a run to the end. */
import { builtinPlugin, PluginRegistry, silentLogger, Workflow, type Logger, type PluginDescriptor } from '@om/core';

export function registryOf(plugins: Record<string, PluginDescriptor>): PluginRegistry {
  const registry = new PluginRegistry();
  registry.addDescriptor(builtinPlugin, '@om/core');
  for (const [pkg, descriptor] of Object.entries(plugins)) registry.addDescriptor(descriptor, pkg);
  return registry;
}

/** Creates, executes and stops a workflow (stop also when execute throws). */
export async function runWorkflow(config: Record<string, unknown>, registry: PluginRegistry, logger: Logger = silentLogger): Promise<Workflow> {
  const wf = await Workflow.create(config, { registry, logger });
  try {
    await wf.execute();
  } finally {
    await wf.stop();
  }
  return wf;
}
