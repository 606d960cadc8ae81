// Entry point of the `quantum-trader` bin (built to dist/cli.js with a node shebang).
import { main } from './cli/main.js';
import { formatError } from './cli/report-error.js';
import { runPaper } from './paper/run-paper.js';

main(process.argv.slice(2), { runPaper, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    // exitCode, not exit(): lets the log file and the journal finish writing
    process.exitCode = code;
    // ccxt leaves keep-alive sockets/timers behind: commands that talked to an exchange end the process once the
    // rest has had a moment to flush (unref'd: never delays an exit that happens anyway)
    const command = process.argv[2];
    if (command === 'download-data' || (command === 'run' && process.argv.includes('--live'))) {
      setTimeout(() => process.exit(code), 1_000).unref();
    }
  },
  (err: unknown) => {
    process.stderr.write(`${formatError(err)}\n`);
    process.exitCode = 1;
  },
);
