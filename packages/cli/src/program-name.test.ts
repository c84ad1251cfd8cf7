import { main, programNameFor } from './main';

describe('the two names of the CLI', () => {
  it('is named after the bin link it was started through', () => {
    expect(programNameFor('/p/node_modules/.bin/om-ingest')).toBe('om-ingest');
    expect(programNameFor('/p/node_modules/.bin/metadata')).toBe('metadata');
    // Windows shims and `node dist/bin.js` start the script itself.
    expect(programNameFor('/p/node_modules/@om/cli/dist/bin.js')).toBe('metadata');
    expect(programNameFor(undefined)).toBe('metadata');
  });

  it('uses that name in help and usage errors', async () => {
    let out = '';
    let err = '';
    const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t) };
    expect(await main(['--help'], io, 'om-ingest')).toBe(0);
    expect(out).toContain('Usage: om-ingest [options] [command]');
    expect(await main(['ingets'], io, 'om-ingest')).toBe(2);
    expect(err).toContain("unknown command 'ingets'");
  });
});
