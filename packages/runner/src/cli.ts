// Entry point of the `quantum-trader` bin (built to dist/cli.js with a node shebang).
import { main } from './cli/main.js';
import { formatError } from './cli/report-error.js';
import { runPaper } from './paper/run-paper.js';

main(process.argv.slice(2), { runPaper, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    // exitCode, not exit(): lets the log file and the journal finish writing
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${formatError(err)}\n`);
    process.exitCode = 1;
  },
);
