import * as fs from 'node:fs';
import * as path from 'node:path';
import { HYPARQUET_PAGE_MODULES, HYPARQUET_VERSION, hyparquet, hyparquetPages, type HyparquetPages } from './hyparquet';

const FUNCTIONS: (keyof HyparquetPages)[] = [
  'parquetHeader', 'readDataPage', 'readDataPageV2', 'decompressPage', 'readPlain', 'readRleBitPackedHybrid', 'convertWithDictionary', 'convert',
];

// The page-level functions are hyparquet internals: an upgrade must be checked against HyparquetPages first.
describe('hyparquet adapter', () => {
  // Where this package resolves hyparquet from (its own node_modules link).
  const dir = fs.realpathSync(path.join(__dirname, '..', '..', 'node_modules', 'hyparquet'));
  const installed = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));

  it('is pinned to the installed hyparquet release', () => {
    expect(installed.version).toBe(HYPARQUET_VERSION);
    const own = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(own.dependencies.hyparquet).toBe(HYPARQUET_VERSION);
  });

  it('finds every deep function it types, in the modules it names', async () => {
    const pages = await hyparquetPages();
    for (const name of FUNCTIONS) expect(typeof pages[name]).toBe('function');
    expect(typeof pages.DEFAULT_PARSERS).toBe('object');
    for (const m of HYPARQUET_PAGE_MODULES) expect(fs.existsSync(path.join(dir, 'src', `${m}.js`))).toBe(true);
    const api = await hyparquet();
    for (const name of ['parquetMetadata', 'parquetSchema', 'parquetRead', 'snappyUncompress'] as const) expect(typeof api[name]).toBe('function');
  });
});
