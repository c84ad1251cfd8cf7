/**
 * The config reference and the editor schema are generated from the plugins' schemas and current;
 * every example names the editor schema on its first line, and the YAML language server (the one
 * editors run) finds it through that line and reports nothing on the examples, but a misspelt key.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from 'yaml-language-server/out/server/src/languageservice/yamlLanguageService';
import { main } from '@om/cli';
import { REPO_ROOT } from '../helpers/user-project';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const MODELINE = /^# yaml-language-server: \$schema=(\S+)\n/;

/** The YAML language server as an editor embeds it: schemas come from the `$schema=` modeline. */
function yamlLanguageServer() {
  const service = getLanguageService({
    schemaRequestService: async (uri) => fs.readFileSync(fileURLToPath(uri), 'utf8'),
    workspaceContext: { resolveRelativePath: (relative, resource) => pathToFileURL(path.resolve(path.dirname(fileURLToPath(resource)), relative)).href },
  });
  service.configure({ validate: true, completion: true, hover: true });
  let version = 0;
  const document = (file: string, text: string) => TextDocument.create(pathToFileURL(file).href, 'yaml', ++version, text);
  return {
    diagnostics: async (file: string, text: string) => (await service.doValidation(document(file, text), false)).map((d) => ({ line: d.range.start.line, message: d.message })),
    completions: async (file: string, text: string, line: number, character: number) =>
      (await service.doComplete(document(file, text), { line, character }, false)).items.map((i) => i.label),
  };
}

describe('config reference and editor schema', () => {
  it('docs/config-reference.md and schemas/workflow.schema.json are what the schemas generate', () => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'config-reference.mjs'), '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  const examples = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));
  const server = yamlLanguageServer();

  it.each(examples)('%s names the editor schema, and the YAML language server reports nothing', async (name) => {
    const file = path.join(EXAMPLES, name);
    const text = fs.readFileSync(file, 'utf8');
    expect(MODELINE.exec(text)?.[1]).toBe('../schemas/workflow.schema.json');
    expect(await server.diagnostics(file, text)).toEqual([]);
  });

  it('the YAML language server flags a misspelt key and an unknown source type, and completes the type', async () => {
    const file = path.join(EXAMPLES, 'local-datalake.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const bucketLine = lines.findIndex((l) => /^\s+bucketName:/.test(l));
    expect(await server.diagnostics(file, text.replace(/^(\s+)bucketName:/m, '$1bucketNmae:'))).toEqual([{ line: bucketLine, message: 'Property bucketNmae is not allowed.' }]);
    const typeLine = lines.findIndex((l) => l === '  type: datalake');
    const wrongType = await server.diagnostics(file, text.replace('  type: datalake', '  type: datalak'));
    expect(wrongType).toContainEqual({ line: typeLine, message: expect.stringContaining('Value is not accepted. Valid values: "datalake"') });
    expect(await server.completions(file, text.replace('  type: datalake', '  type: '), typeLine, '  type: '.length)).toEqual(expect.arrayContaining(['datalake', 'dynamodb', 'dbt']));
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
