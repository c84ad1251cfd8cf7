// Build step of every plugin package (after tsc): each capability's config schema as a JSON
// Schema file in dist/schemas/, for editors and tools (`@om/<pkg>/schemas/source.x.schema.json`).
import fs from 'node:fs';
import path from 'node:path';
import { coreFor, loadPlugin, schemaFileName } from './lib/plugin-schemas.mjs';

const dir = process.cwd();
const plugin = loadPlugin(dir);
if (plugin) {
  const core = coreFor(dir);
  const out = path.join(dir, 'dist', 'schemas');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const entry of core.descriptorSchemas(plugin.descriptor, plugin.manifest.name)) {
    fs.writeFileSync(path.join(out, schemaFileName(entry.capability)), `${JSON.stringify(core.capabilitySchema(entry), null, 2)}\n`);
  }
}
