/**
 * The config reference and the editor schema are generated from the plugins' schemas and current;
 * every example names the editor schema on its first line and validates against it as the YAML
 * language server would (JSON Schema draft-07, unknown keywords ignored).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parseConfigText } from '@om/core';
import { main } from '@om/cli';
import { REPO_ROOT } from '../helpers/user-project';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const MODELINE = /^# yaml-language-server: \$schema=(\S+)\n/;

function editorValidator(schemaFile: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('om-regex', true);
  return ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
}

describe('config reference and editor schema', () => {
  it('docs/config-reference.md and schemas/workflow.schema.json are what the schemas generate', () => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'config-reference.mjs'), '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  const examples = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));

  it.each(examples)('%s names the editor schema and validates against it', (name) => {
    const text = fs.readFileSync(path.join(EXAMPLES, name), 'utf8');
    const modeline = MODELINE.exec(text);
    expect(modeline?.[1]).toBe('../schemas/workflow.schema.json');
    const validate = editorValidator(path.resolve(EXAMPLES, modeline![1]));
    const valid = validate(parseConfigText(text, 'yaml', name));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the editor schema catches a misspelt key and an unknown source type', () => {
    const validate = editorValidator(path.join(REPO_ROOT, 'schemas', 'workflow.schema.json'));
    const config = parseConfigText(fs.readFileSync(path.join(EXAMPLES, 'local-datalake.yaml'), 'utf8'), 'yaml') as { source: Record<string, any> };
    config.source.serviceConnection.config.bucketNmae = 'x';
    expect(validate(config)).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: '/source/serviceConnection/config', params: { additionalProperty: 'bucketNmae' } }));
    config.source.type = 'datalak';
    expect(validate(config)).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: '/source/type', keyword: 'enum' }));
  });

  it('`schema source datalake` prints the schema file the package ships', async () => {
    let out = '';
    let err = '';
    const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t) };
    expect(await main(['schema', 'source', 'datalake'], io)).toBe(0);
    const shipped = fs.readFileSync(path.join(REPO_ROOT, 'packages', 'datalake', 'dist', 'schemas', 'source.datalake.schema.json'), 'utf8');
    expect(JSON.parse(out)).toEqual(JSON.parse(shipped));
    expect(JSON.parse(out).properties.type).toEqual({ const: 'datalake' });
  });

  it('`schema` with a type that no plugin provides names the fix; without a type it is a usage error', async () => {
    let out = '';
    let err = '';
    const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t) };
    expect(await main(['schema', 'source', 'datalak'], io)).toBe(2);
    expect(err).toContain('No installed plugin provides source "datalak". Did you mean "datalake"?');
    err = '';
    expect(await main(['schema', 'sink'], io)).toBe(2);
    expect(err).toContain('give the sink type too, e.g. "schema sink file"');
    expect(out).toBe('');
  });

  it('`schema` without arguments prints the workflow schema of the installed plugins', async () => {
    let out = '';
    const io = { stdout: (t: string) => (out += t), stderr: () => undefined };
    expect(await main(['schema'], io)).toBe(0);
    const schema = JSON.parse(out);
    expect(schema.properties.source.properties.type.enum).toEqual(expect.arrayContaining(['datalake', 'dynamodb', 'dbt', 'testsuite']));
    expect(schema.properties.sink.properties.type.enum).toEqual(expect.arrayContaining(['file', 'console', 'metadata-rest']));
  });
});
