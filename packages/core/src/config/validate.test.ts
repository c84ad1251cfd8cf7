import { ConfigError } from '../errors';
import { registryWith, scriptedSourcePlugin } from '../testing/fixtures';
import { validateWorkflowConfig, withoutExtensions } from './validate';

const base = () => ({
  source: {
    type: 'scripted',
    serviceName: 'svc',
    serviceConnection: { config: { type: 'Scripted' } },
    sourceConfig: { config: { type: 'DatabaseMetadata' } },
  },
  sink: { type: 'file', config: { filename: 'out.json' } },
  workflowConfig: {},
});

async function violations(config: Record<string, unknown>) {
  try {
    await validateWorkflowConfig(config, registryWith(scriptedSourcePlugin(() => [])));
  } catch (err) {
    if (err instanceof ConfigError) return err.violations;
    throw err;
  }
  return [];
}

describe('validateWorkflowConfig', () => {
  it('accepts a valid config', async () => {
    expect(await violations(base())).toEqual([]);
  });

  it('reports every violation at once, each with its path and a hint', async () => {
    const config = base() as Record<string, unknown>;
    config.extraTopLevel = true;
    (config.source as Record<string, unknown>).serviceConnection = { config: { type: 'Scripted', pasword: 'x' } };
    (config.sink as Record<string, unknown>).config = { filname: 'x' };
    config.workflowConfig = { loggerLevel: 'VERBOSE', successThreshold: 150, openMetadataServerConfig: { authProvider: 'openmetadata' } };
    const v = await violations(config);
    const byPath = Object.fromEntries(v.map((x) => [x.path, x]));
    expect(byPath.extraTopLevel.message).toBe('unknown key "extraTopLevel"');
    expect(byPath['workflowConfig.loggerLevel'].message).toContain('"VERBOSE" is not one of: DEBUG, INFO, WARN, ERROR');
    expect(byPath['workflowConfig.successThreshold'].message).toContain('<= 100');
    expect(byPath['workflowConfig.openMetadataServerConfig.hostPort'].message).toBe('required key "hostPort" is missing');
    expect(byPath['source.serviceConnection.config.pasword']).toEqual({
      path: 'source.serviceConnection.config.pasword',
      message: 'unknown key "pasword"',
      hint: 'did you mean "password"?',
    });
    expect(byPath['sink.config.filname'].hint).toBe('did you mean "filename"?');
    expect(byPath['sink.config.filename'].message).toBe('required key "filename" is missing');
    expect(v.length).toBeGreaterThanOrEqual(7);
  });

  it('reports a missing plugin with the package to install and a did-you-mean for typos', async () => {
    const config = base();
    config.source.type = 'dynamodb';
    config.sink.type = 'fiel';
    const v = await violations(config);
    expect(v).toContainEqual({ path: 'source.type', message: expect.stringContaining('needs @om/dynamodb: pnpm add @om/dynamodb') });
    expect(v).toContainEqual({ path: 'sink.type', message: expect.stringContaining('Did you mean "file"?') });
  });

  it('reports an invalid filter regex with its path', async () => {
    const plugin = scriptedSourcePlugin(() => []);
    plugin.configSchemas!['source:scripted']!['/sourceConfig/config'] = {
      type: 'object',
      properties: { tableFilterPattern: require('./schema').filterPatternSchema },
    };
    const config = base();
    (config.source.sourceConfig.config as Record<string, unknown>).tableFilterPattern = { includes: ['ok.*', 'bad[('] };
    await expect(validateWorkflowConfig(config, registryWith(plugin))).rejects.toMatchObject({
      violations: [
        expect.objectContaining({
          path: 'source.sourceConfig.config.tableFilterPattern.includes[1]',
          message: expect.stringContaining('invalid regular expression "bad[("'),
        }),
      ],
    });
  });

  it('collects the paths of schema-marked secrets', async () => {
    const config = base();
    (config.source.serviceConnection.config as Record<string, unknown>).password = 'hunter22';
    const result = await validateWorkflowConfig(config, registryWith(scriptedSourcePlugin(() => [])));
    expect([...result.secretPaths]).toContain('/source/serviceConnection/config/password');
  });

  it('formats all violations into one readable message', async () => {
    const config = base() as Record<string, unknown>;
    delete config.workflowConfig;
    config.oops = 1;
    await expect(validateWorkflowConfig(config, registryWith(scriptedSourcePlugin(() => [])), 'cfg.yaml')).rejects.toThrow(
      /Invalid configuration in cfg\.yaml \(2 problems\):\n  - workflowConfig: required key "workflowConfig" is missing\n  - oops: unknown key "oops"/,
    );
  });
});

describe('om-ingest extension fields', () => {
  it('are collected and left out of what is sent to the catalog', async () => {
    const plugin = scriptedSourcePlugin(() => []);
    plugin.configSchemas!['source:scripted']!['/serviceConnection/config'] = {
      type: 'object',
      properties: {
        type: { type: 'string' },
        keep: { type: 'string' },
        nested: { type: 'object', properties: { tune: { type: 'integer', description: 'om-ingest: a knob' }, keep2: { type: 'string' } } },
        flagged: { type: 'boolean', omExtension: true },
      },
    };
    const config = base();
    config.source.serviceConnection.config = { type: 'Scripted', keep: 'a', nested: { tune: 3, keep2: 'b' }, flagged: true } as never;
    const result = await validateWorkflowConfig(config, registryWith(plugin));
    expect([...result.extensionPaths].sort()).toEqual([
      '/source/serviceConnection/config/flagged',
      '/source/serviceConnection/config/nested/tune',
    ]);
    expect(withoutExtensions(config.source.serviceConnection.config, '/source/serviceConnection/config', result.extensionPaths)).toEqual({
      type: 'Scripted',
      keep: 'a',
      nested: { keep2: 'b' },
    });
    // The original is untouched.
    expect(config.source.serviceConnection.config).toMatchObject({ flagged: true, nested: { tune: 3 } });
  });
});
