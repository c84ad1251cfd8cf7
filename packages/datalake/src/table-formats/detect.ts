/**
 * Which listed keys mark a lakehouse table, and which table folder a key belongs to. A marker is a
 * key only a table format writes: `<root>/_delta_log/…` (Delta), `<root>/metadata/<v>.metadata.json`
 * or `<root>/metadata/version-hint.text` (Iceberg), `<root>/.hoodie/hoodie.properties` (Hudi).
 */
import type { TableFormatRoot } from './types';

const ICEBERG_METADATA = /^(?:v\d+|\d+-[0-9a-f-]+)(?:\.gz)?\.metadata\.json(?:\.gz)?$|^version-hint\.text$/;

/** The table a marker key reveals, or undefined for any other key. */
export function tableFormatMarker(key: string): TableFormatRoot | undefined {
  const parts = key.split('/');
  for (let i = 0; i < parts.length - 1; i++) {
    const root = parts.slice(0, i).join('/');
    if (parts[i] === '_delta_log') return { format: 'delta', root };
    if (parts[i] === '.hoodie' && parts[i + 1] === 'hoodie.properties' && i + 2 === parts.length) return { format: 'hudi', root };
    if (parts[i] === 'metadata' && i + 2 === parts.length && ICEBERG_METADATA.test(parts[i + 1])) return { format: 'iceberg', root };
  }
  return undefined;
}

/** True when `key` lies inside the table folder `root` (`''` is the whole bucket). */
export function inTableFolder(key: string, root: string): boolean {
  return root === '' || key.startsWith(`${root}/`);
}
