import { builtinPlugin, ConfigError, PluginRegistry, validateWorkflowConfig } from '@om/core';
import { plugin } from './plugin';

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.addDescriptor(builtinPlugin, '@om/core');
  r.addDescriptor(plugin, '@om/openmetadata');
  return r;
}

const config = (authProvider: string) => ({
  source: { type: 'file', serviceName: 'svc', sourceConfig: { config: {} } },
  sink: { type: 'metadata-rest', config: {} },
  workflowConfig: {
    openMetadataServerConfig: { hostPort: 'http://127.0.0.1:8585/api', authProvider, securityConfig: { clientId: 'x' } },
  },
});

describe('metadata-rest plugin requirements', () => {
  it('needs nothing more for the built-in auth providers', async () => {
    const sinkOnly = { ...config('openmetadata'), source: undefined };
    await expect(validateWorkflowConfig(sinkOnly as never, registry())).rejects.not.toMatchObject({
      violations: expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('authProvider') })]),
    });
  });

  it('asks for a plugin providing authProvider:<name> for other providers, naming where it is configured', async () => {
    let error: ConfigError | undefined;
    try {
      await validateWorkflowConfig(config('custom-oidc'), registry());
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.violations).toContainEqual({
      path: 'workflowConfig.openMetadataServerConfig.securityConfig',
      message: expect.stringContaining('No installed plugin provides authProvider "custom-oidc"'),
    });
  });
});
