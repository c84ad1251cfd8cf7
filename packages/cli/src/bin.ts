#!/usr/bin/env node
import { main, programNameFor } from './main';

// One program, two names (`metadata`, `om-ingest`): help and errors use the one that was typed.
main(process.argv.slice(2), undefined, programNameFor(process.argv[1])).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Only programming errors get here; user errors are handled in main.
    process.stderr.write(`Unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
