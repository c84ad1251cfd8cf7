/**
 * Where a command's workflow config comes from: a file (`-c workflow.yaml`) or standard input
 * (`-c -`). Relative paths inside the config resolve from the file's folder (the cwd for stdin).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, configTextFormat, parseConfigText, readConfigFile } from '@om/core';

export interface ConfigInput {
  raw: Record<string, unknown>;
  /** Name for messages: the path as given, or `<stdin>`. */
  label: string;
  configDir: string;
}

export const STDIN = '-';

export function readConfigInput(spec: string, readStdin: () => string = () => fs.readFileSync(0, 'utf8')): ConfigInput {
  if (spec === STDIN) {
    const label = '<stdin>';
    let text: string;
    try {
      text = readStdin();
    } catch (err) {
      throw ConfigError.single('', `cannot read the config from standard input: ${(err as Error).message}`, 'pipe the config in: metadata ingest -c - < workflow.yaml', label);
    }
    if (text.trim() === '') throw ConfigError.single('', 'standard input is empty', 'pipe the config in: metadata ingest -c - < workflow.yaml', label);
    return { raw: parseConfigText(text, configTextFormat(text), label), label, configDir: process.cwd() };
  }
  return { raw: readConfigFile(spec), label: spec, configDir: path.dirname(path.resolve(spec)) };
}
