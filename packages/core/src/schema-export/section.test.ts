import Ajv from 'ajv';
import { capabilitySchema, workflowEditorSchema, type CapabilitySchemas } from './section';

const source: CapabilitySchemas = {
  capability: 'source:demo',
  packageName: 'om-plugin-demo',
  schemas: {
    '/serviceConnection/config': { type: 'object', additionalProperties: false, properties: { port: { type: 'integer' }, host: { type: 'string' } } },
    '/sourceConfig/config': { type: 'object', properties: { type: { enum: ['DatabaseMetadata'] } } },
  },
};
const store: CapabilitySchemas = { capability: 'objectStore:demo', packageName: 'om-plugin-demo', schemas: { '': { type: 'object', properties: { bucket: { type: 'string' } } } } };
const sink: CapabilitySchemas = { capability: 'sink:null', packageName: 'om-plugin-demo', schemas: {} };

const ajv = () => new Ajv({ strict: false, allErrors: true });
const config = (port: unknown) => ({
  source: { type: 'demo', serviceName: 's', serviceConnection: { config: { port, host: 'h' } }, sourceConfig: { config: { type: 'DatabaseMetadata' } } },
  sink: { type: 'null' },
  workflowConfig: {},
});

describe('config schemas as JSON Schema documents', () => {
  it('places a source\'s schemas at their pointers inside the section, with its type', () => {
    const schema = capabilitySchema(source) as any;
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.properties.type).toEqual({ const: 'demo' });
    expect(schema.properties.serviceConnection.properties.config).toEqual(source.schemas['/serviceConnection/config']);
    expect(ajv().validate(schema, config(1).source)).toBe(true);
  });

  it('a nested capability is its sub-config', () => {
    expect(capabilitySchema(store)).toMatchObject({ title: 'objectStore:demo (om-plugin-demo)', properties: { bucket: { type: 'string' } } });
  });

  it('the editor schema picks a section\'s schema by type, lists the types and accepts ${VAR} placeholders', () => {
    const schema = workflowEditorSchema([source, store, sink]) as any;
    expect(schema.properties.source.properties.type.enum).toEqual(['demo']);
    expect(schema.$defs['objectStore.demo']).toBeDefined();
    const validate = ajv().compile(schema);
    expect(validate(config(5432))).toBe(true);
    expect(validate(config('${DB_PORT}'))).toBe(true);
    expect(validate(config('5432'))).toBe(false);
    const typo = config(1);
    (typo.source.serviceConnection.config as Record<string, unknown>).hots = 'x';
    expect(validate(typo)).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: '/source/serviceConnection/config', params: { additionalProperty: 'hots' } }));
  });
});
