#!/usr/bin/env node
// hvswitch: the command-line client of hvswitchd (see cli.ts and docs/cli.md).
import { runCli } from './cli.js';

// `hvswitch fdb show | head`: a closed pipe ends the output quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const code = await runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
});
process.exitCode = code;
