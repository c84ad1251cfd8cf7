/** The repository's published packages, read from their manifests. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/user-project';

export const TEMPLATE_DIR = path.join(REPO_ROOT, 'examples', 'plugin-template');

export type Manifest = Record<string, unknown> & { name: string; version: string };

export function readManifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Every non-private package under packages/ and plugins/. */
export function publishedPackages(): { dir: string; manifest: Manifest }[] {
  const result: { dir: string; manifest: Manifest }[] = [];
  for (const group of ['packages', 'plugins']) {
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, group)).sort()) {
      const dir = path.join(REPO_ROOT, group, entry);
      if (!fs.existsSync(path.join(dir, 'package.json'))) continue;
      const manifest = readManifest(dir);
      if (!manifest.private) result.push({ dir, manifest });
    }
  }
  return result;
}
