// Imported first by a measurement's child process: it runs as the `metadata` CLI does, with the young
// generation held at its starting size (`holdYoungGeneration`, called before anything else loads).
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
createRequire(path.join(root, 'package.json'))('@om/core/runtime').holdYoungGeneration();
