/**
 * tbkit command-line entry: `tsx src/cli/main.ts <command> …` or `bin/tbkit.js`.
 * Exit codes: 0 ok, 1 corrupt data (inspect) or an unexpected failure, 2 usage error.
 */
import { CommanderError } from 'commander';
import { buildProgram } from './program';
import { UsageError } from './errors';

export async function main(argv: string[] = process.argv): Promise<number> {
  // A closed pipe (`tbkit export logs | head`) is a normal way to stop reading output.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are successful exits; commander already printed its message (or the
      // help, when no command was given: a usage error)
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`tbkit: error: ${err.message}\n`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException;
    if (e && e.code === 'EPIPE') return 0;
    process.stderr.write(`tbkit: ${e && e.stack ? e.stack : String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
