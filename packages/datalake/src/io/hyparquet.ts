/**
 * The one place hyparquet is loaded. Its public API (footer, schema, row-group reads, Snappy) is
 * stable; the page-level functions the fast flat-column decode uses (`flat.ts`) are not: they are
 * deep imports of hyparquet's `src/*.js`, typed here by hand. `HYPARQUET_VERSION` is the release
 * they were written against; a test fails when the installed hyparquet is another one, so an
 * upgrade is checked here first (signatures in `HyparquetPages`).
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

/** The hyparquet release the deep imports below were checked against (also pinned in package.json). */
export const HYPARQUET_VERSION = '1.31.5';

/** hyparquet's public API, as this package uses it. */
export type Hyparquet = typeof import('hyparquet', { with: { 'resolution-mode': 'import' } });

let api: Promise<Hyparquet> | undefined;

/** hyparquet's public API (ESM, so imported dynamically, once). */
export function hyparquet(): Promise<Hyparquet> {
  api ??= import('hyparquet');
  return api;
}

/** The page-level functions of hyparquet's `src/` modules the flat-column decode calls. */
export interface HyparquetPages {
  parquetHeader(reader: { view: DataView; offset: number }): Any;
  readDataPage(bytes: Uint8Array, daph: Any, decoder: Any): { definitionLevels: number[]; dataPage: Any };
  readDataPageV2(bytes: Uint8Array, header: Any, decoder: Any): { definitionLevels: number[]; dataPage: Any };
  decompressPage(bytes: Uint8Array, size: number, codec: string, compressors: Any): Uint8Array;
  readPlain(reader: { view: DataView; offset: number }, type: string, count: number, typeLength?: number): Any;
  readRleBitPackedHybrid(reader: { view: DataView; offset: number }, width: number, output: ArrayLike<number>, length?: number): void;
  convertWithDictionary(data: Any, dictionary: Any, encoding: string, decoder: Any): Any;
  convert(data: Any, decoder: Any): Any;
  DEFAULT_PARSERS: Record<string, unknown>;
}

/** Their modules, for the version test. */
export const HYPARQUET_PAGE_MODULES = ['column', 'datapage', 'plain', 'convert', 'encoding'] as const;

let pages: Promise<HyparquetPages> | undefined;

/** hyparquet's page-level functions (its `src/*.js` exports; ESM, so imported dynamically). */
export function hyparquetPages(): Promise<HyparquetPages> {
  pages ??= Promise.all([
    import('hyparquet/src/column.js'),
    import('hyparquet/src/datapage.js'),
    import('hyparquet/src/plain.js'),
    import('hyparquet/src/convert.js'),
    import('hyparquet/src/encoding.js'),
  ]).then(([column, datapage, plain, convert, encoding]) => ({ ...(column as Any), ...(datapage as Any), ...(plain as Any), ...(convert as Any), ...(encoding as Any) }) as HyparquetPages);
  return pages;
}
