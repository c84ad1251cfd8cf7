#!/usr/bin/env node
import { holdYoungGeneration } from '@om/core/runtime';

// Before anything else loads (see holdYoungGeneration): a run's peak memory is lower.
holdYoungGeneration();

import cli = require('./main');

// One program, two names (`metadata`, `om-ingest`): help and errors use the one that was typed.
cli.main(process.argv.slice(2), undefined, cli.programNameFor(process.argv[1])).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Only programming errors get here; user errors are handled in main.
    process.stderr.write(`Unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
