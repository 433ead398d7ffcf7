/**
 * `npm run bench` options. Full mode by default; --quick is CI-sized. The experiment row (minutes
 * per side) runs in the full mode (--no-experiment skips it), never with --quick. --only picks sections (to re-run one
 * while working on it); --record writes BENCHMARKS.md from this run's output.
 */
export const SECTIONS = ['writer', 'memory', 'flush', 'summaries', 'reader', 'writer-peers', 'loading', 'scale', 'overhead', 'training', 'experiment'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchArgs {
  quick: boolean;
  json?: string;
  /** Write this file (BENCHMARKS.md) from the run: the method, the machine, the output verbatim. */
  record?: string;
  training: boolean;
  experiment: boolean;
  /** Only these sections (default: every section of the mode). */
  only?: Section[];
}

export const USAGE = 'usage: npm run bench -- [--quick] [--no-experiment] [--no-training] [--only SECTION,…] [--json FILE] [--record FILE]\n' +
  `  sections: ${SECTIONS.join(', ')}`;

function value(argv: readonly string[], i: number, flag: string, example: string): string {
  const v = argv[i];
  if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value: npm run bench -- ${flag} ${example}`);
  return v;
}

function sections(list: string): Section[] {
  const out = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = out.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (bad.length > 0 || out.length === 0) throw new Error(`--only: unknown section ${bad.map((b) => JSON.stringify(b)).join(', ') || '(none given)'}; sections: ${SECTIONS.join(', ')}`);
  return out as Section[];
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { quick: false, training: true, experiment: false };
  let experiment: boolean | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const take = (example: string): string => inline ?? value(argv, ++i, flag, example);
    if (flag === '--quick') args.quick = true;
    else if (flag === '--full') args.quick = false;
    else if (flag === '--no-training') args.training = false;
    else if (flag === '--experiment') experiment = true;
    else if (flag === '--no-experiment') experiment = false;
    else if (flag === '--json') args.json = take('results.json');
    else if (flag === '--record') args.record = take('BENCHMARKS.md');
    else if (flag === '--only') args.only = sections(take('loading,scale'));
    else if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    else throw new Error(`unknown argument ${JSON.stringify(a)}; ${USAGE}`);
  }
  if (args.quick && (experiment === true || args.only?.includes('experiment'))) {
    throw new Error('the experiment row (minutes per side) is not part of --quick: drop --quick, or --experiment');
  }
  args.experiment = experiment ?? !args.quick;
  return args;
}

/** Whether `section` runs under these arguments. */
export function runs(args: BenchArgs, section: Section): boolean {
  if (args.only) return args.only.includes(section);
  if (section === 'experiment') return args.experiment;
  if (section === 'training') return args.training;
  return true;
}
