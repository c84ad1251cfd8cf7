import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinPlugin, PluginRegistry, silentLogger, Workflow } from '@om/core';
import { plugin as datalake } from '@om/datalake';
import { plugin } from './plugin';

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.addDescriptor(builtinPlugin, '@om/core');
  r.addDescriptor(datalake, '@om/datalake');
  r.addDescriptor(plugin, '@om/datalake-gcs');
  return r;
}

const workflow = (gcpConfig: unknown) => ({
  source: {
    type: 'datalake',
    serviceName: 'gcs_lake',
    serviceConnection: { config: { type: 'Datalake', configSource: { securityConfig: { gcpConfig } }, bucketName: 'b' } },
    sourceConfig: { config: { type: 'DatabaseMetadata' } },
  },
  sink: { type: 'console' },
  workflowConfig: {},
});

describe('credentials file paths', () => {
  it("resolve from the config file's folder, as every path in a config", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-gcs-paths-'));
    const gcpConfigOf = async (gcpConfig: unknown) => {
      const file = path.join(dir, 'workflow.json');
      fs.writeFileSync(file, JSON.stringify(workflow(gcpConfig)));
      const wf = await Workflow.create(file, { registry: registry(), logger: silentLogger, testConnection: false });
      await wf.stop();
      return (wf.config.source.serviceConnection?.config as { configSource: { securityConfig: { gcpConfig: unknown } } }).configSource.securityConfig.gcpConfig;
    };
    expect(await gcpConfigOf({ type: 'gcp_credential_path', path: 'keys/sa.json', projectId: 'p' })).toEqual({
      type: 'gcp_credential_path',
      path: path.join(dir, 'keys', 'sa.json'),
      projectId: 'p',
    });
    expect(await gcpConfigOf('keys/sa.json')).toBe(path.join(dir, 'keys', 'sa.json'));
    expect(await gcpConfigOf('/etc/gcp/sa.json')).toBe('/etc/gcp/sa.json');
  });
});
