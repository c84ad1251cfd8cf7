import * as fs from 'node:fs';
import * as path from 'node:path';

/** This package's version (src/ and dist/ both sit one level below the package root). */
export const CORE_VERSION: string = (() => {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version as string;
  } catch {
    return '0.0.0';
  }
})();
