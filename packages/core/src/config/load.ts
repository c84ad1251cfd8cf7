import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors';

/** Reads a YAML (.yaml/.yml) or JSON (.json) config file into a plain object. */
export function readConfigFile(file: string): Record<string, unknown> {
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
    const candidates = fs.readdirSync(file).filter((f) => /\.(ya?ml|json)$/i.test(f)).slice(0, 5);
    throw ConfigError.single(
      '',
      'is a directory, not a config file',
      candidates.length ? `give one of its files, e.g. -c ${path.join(file, candidates[0])}` : 'give the path of a .yaml, .yml or .json workflow file',
      file,
    );
  }
  const ext = path.extname(file).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(ext)) {
    throw ConfigError.single('', `unsupported config file type "${ext || '(none)'}"`, 'use a .yaml, .yml or .json file', file);
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw ConfigError.single('', `cannot read config file: ${why}`, 'check the path given to -c/--config', file);
  }
  return parseConfigText(text, ext === '.json' ? 'json' : 'yaml', file);
}

/** JSON when the text starts with `{`, else YAML (JSON is YAML too, but JSON errors read better). */
export function configTextFormat(text: string): 'yaml' | 'json' {
  return /^\uFEFF?\s*\{/.test(text) ? 'json' : 'yaml';
}

export function parseConfigText(text: string, format: 'yaml' | 'json', file?: string): Record<string, unknown> {
  let value: unknown;
  if (format === 'json') {
    try {
      value = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw ConfigError.single('', `not valid JSON: ${(err as Error).message}`, undefined, file);
    }
  } else {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      throw new ConfigError(
        doc.errors.map((e) => ({
          path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '',
          message: `YAML syntax: ${e.message.split('\n')[0]}`,
        })),
        file,
      );
    }
    try {
      value = doc.toJS();
    } catch (err) {
      // yaml refuses to expand too many aliases (a "billion laughs" bomb): a config mistake.
      throw ConfigError.single('', `YAML: ${(err as Error).message.split('\n')[0]}`, 'use fewer YAML aliases (*name); write the values out instead', file);
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw ConfigError.single('', 'the config must be a mapping with source, sink and workflowConfig', undefined, file);
  }
  const obj = value as Record<string, unknown>;
  // OpenMetadata's workflow.json wraps the config; accept both shapes.
  if (obj.openMetadataWorkflowConfig && typeof obj.openMetadataWorkflowConfig === 'object') {
    return obj.openMetadataWorkflowConfig as Record<string, unknown>;
  }
  return obj;
}
