/** The `tbkit` commander program: one module per subcommand. */
import { Command } from 'commander';
import { registerInspectCommand } from './inspect';
import { registerExportCommand } from './export';
import { registerCompareCommand } from './compare';
import { registerExperimentCommand } from './experiment';
import { registerReduceCommand } from './reduce';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('tbkit')
    .description('TensorBoard from Node: run the BN experiment; read, check, export, compare and reduce event files (logdirs) without TensorBoard.')
    .version(version(), '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride() // inherited by subcommands: main() maps commander errors to exit code 2
    // Every error the CLI prints starts with "tbkit:", commander's own ("error: unknown option …") too.
    .configureOutput({ outputError: (text, write) => write(text.startsWith('tbkit:') ? text : `tbkit: ${text}`) })
    .addHelpText(
      'after',
      `
Run and tag patterns (--run, --tag; repeatable, OR-ed): a glob matched against the whole name
('run_*', '**/eval', 'loss?') or a /regular expression/ searched in it ('/^run_[ab]$/', '/acc/i').
The logdir's root is the run ".".

Colours: on for terminals; NO_COLOR=1 turns them off, FORCE_COLOR=1 forces them on. Piped output
has no colours and plain (borderless) tables.

Exit status: 0 ok, 1 corrupt data found (inspect), 2 usage error (bad option, no such logdir, not an
event file) or nothing to show (no runs, no run matching --run, no tag matching --tag, no scalars).

Examples
  $ tbkit inspect logs
  $ tbkit export logs -f csv -o scalars.csv
  $ tbkit compare logs --metric accuracy --plot chart.png --smoothing 0.6
  $ tbkit compare logs --group-by use_bn,learning_rate --plot groups.png
  $ tbkit reduce logs --out logs/agg
`,
    );
  registerInspectCommand(program);
  registerExportCommand(program);
  registerCompareCommand(program);
  registerReduceCommand(program);
  registerExperimentCommand(program);
  return program;
}

function version(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (require('../../package.json') as { version: string }).version;
  } catch {
    try {
      return (require('../../../package.json') as { version: string }).version;
    } catch {
      return '0.0.0';
    }
  }
}
