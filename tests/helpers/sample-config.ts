/**
 * The plugin template's own sample config (examples/plugin-template/sample.yaml) with a file sink:
 * the config a user of the template runs, so tests follow the example when it changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './user-project';

export function sampleTemplateYaml(filename: string, extra = ''): string {
  const yaml = fs.readFileSync(path.join(REPO_ROOT, 'examples', 'plugin-template', 'sample.yaml'), 'utf8');
  const withFile = yaml.replace(/sink:\n  type: console\n/, `sink:\n  type: file\n  config:\n    filename: ${filename}\n`).replace('loggerLevel: INFO', 'loggerLevel: WARN');
  if (withFile === yaml) throw new Error('examples/plugin-template/sample.yaml no longer has the console sink this helper replaces');
  return `${withFile.trimEnd()}\n${extra}`;
}
