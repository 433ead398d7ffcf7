/**
 * The BN experiment's settings: defaults are the original blog post's, and every flag is checked
 * here, once, with an error that names the flag, the bad value and what is accepted.
 */
export type BnChoice = 'on' | 'off' | 'both';
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type DatasetChoice = 'mnist' | 'csv' | 'synthetic';

export interface ExperimentConfig {
  logdir: string;
  dataset: DatasetChoice;
  dataDir?: string;
  csvPath?: string;
  limit?: number;
  epochs: number;
  batchSize: number;
  learningRates: number[];
  bn: BnChoice;
  backend: BackendChoice;
  /** Seed of the train/validation split, and of each run's weights and batch order unless `seeds` is given. */
  seed: number;
  /**
   * Several seeds (--seeds N, --seed 1,2,3): every configuration runs once per seed, with the seed
   * in its name and hparams; the split keeps `seed`, so every run is scored on the same images.
   */
  seeds?: number[];
  /** A preset sweep (--sweep lr: SWEEP_LEARNING_RATES × BN on/off). */
  sweep?: 'lr';
  normalize: boolean;
  overwrite: boolean;
  resume: boolean;
  summarySteps: number;
  checkpointSteps: number;
  progress: boolean;
  validationFraction: number;
}

export const DEFAULTS: ExperimentConfig = {
  logdir: 'logs',
  dataset: 'mnist',
  epochs: 5,
  batchSize: 100,
  learningRates: [0.01],
  bn: 'both',
  backend: 'auto',
  seed: 100,
  normalize: false,
  overwrite: false,
  resume: false,
  summarySteps: 100,
  checkpointSteps: 500,
  progress: true,
  validationFraction: 0.1,
};

/** `--sweep lr`: half-decade steps from where no-BN training dies (0.01 in the blog post) down to where it learns. */
export const SWEEP_LEARNING_RATES = [0.1, 0.03, 0.01, 0.003, 0.001];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${flag}: unknown value "${value}"; use one of: ${allowed.join(', ')}`);
}

function positiveInt(flag: string, raw: string | number, { allowZero = false } = {}): number {
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 0 || (!allowZero && n === 0)) {
    throw new ConfigError(`${flag}: expected a ${allowZero ? 'non-negative' : 'positive'} integer, got "${raw}"`);
  }
  return n;
}

/** `0.01,0.001` → [0.01, 0.001]; every rate must be a finite number > 0. */
export function parseLearningRates(raw: string | number | number[]): number[] {
  const parts = Array.isArray(raw) ? raw : String(raw).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new ConfigError('--lr: expected one or more learning rates, e.g. --lr 0.01 or --lr 0.01,0.001');
  const rates = parts.map((p) => {
    const n = typeof p === 'number' ? p : Number(p);
    if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`--lr: learning rate must be a number > 0, got "${p}"`);
    return n;
  });
  return [...new Set(rates)];
}

/** Raw option values as commander hands them over (strings, booleans, or absent). */
export type RawOptions = Partial<Record<string, string | boolean | number | undefined>>;

export function resolveConfig(raw: RawOptions): ExperimentConfig {
  const c: ExperimentConfig = { ...DEFAULTS };
  if (raw.logdir !== undefined) c.logdir = String(raw.logdir);
  if (c.logdir === '' || c.logdir.includes('\0')) throw new ConfigError(`--logdir: expected a directory path without NUL characters, got ${JSON.stringify(c.logdir)}`);
  if (raw.dataset !== undefined) c.dataset = oneOf('--dataset', String(raw.dataset), ['mnist', 'csv', 'synthetic'] as const);
  if (raw.csv !== undefined) {
    c.csvPath = String(raw.csv);
    if (raw.dataset === undefined) c.dataset = 'csv';
    else if (c.dataset !== 'csv') throw new ConfigError(`--csv goes with --dataset csv, not --dataset ${c.dataset}`);
  }
  if (c.dataset === 'csv' && !c.csvPath) throw new ConfigError('--dataset csv needs --csv PATH (Kaggle Digit Recognizer train.csv)');
  // MNIST_DIR is read by the data layer itself, so that its messages can say where a directory came from.
  if (raw.dataDir !== undefined && raw.dataDir !== '') c.dataDir = String(raw.dataDir);
  if (raw.limit !== undefined) c.limit = positiveInt('--limit', raw.limit as string);
  if (raw.epochs !== undefined) c.epochs = positiveInt('--epochs', raw.epochs as string);
  if (raw.batchSize !== undefined) c.batchSize = positiveInt('--batch-size', raw.batchSize as string);
  if (raw.lr !== undefined) c.learningRates = parseLearningRates(raw.lr as string);
  if (raw.bn !== undefined) c.bn = oneOf('--bn', String(raw.bn), ['on', 'off', 'both'] as const);
  if (raw.backend !== undefined) c.backend = oneOf('--backend', String(raw.backend), ['auto', 'tensorflow', 'wasm', 'cpu'] as const);
  if (raw.seed !== undefined) {
    const seeds = [...new Set(String(raw.seed).split(',').map((s) => positiveInt('--seed', s.trim(), { allowZero: true })))];
    if (seeds.length === 1) c.seed = seeds[0];
    else c.seeds = seeds;
  }
  if (raw.seeds !== undefined) {
    if (raw.seed !== undefined) throw new ConfigError('--seeds N runs seeds 1..N; --seed takes one seed or a list (--seed 1,2,3): use one of them');
    const n = positiveInt('--seeds', raw.seeds as string);
    c.seeds = Array.from({ length: n }, (_, i) => i + 1);
  }
  if (raw.sweep !== undefined) {
    c.sweep = oneOf('--sweep', String(raw.sweep), ['lr'] as const);
    if (raw.lr !== undefined) throw new ConfigError('--sweep lr sets the learning rates itself (0.1 … 0.001): drop --lr, or drop --sweep and list them with --lr');
    c.learningRates = [...SWEEP_LEARNING_RATES];
  }
  if (raw.normalize !== undefined) c.normalize = Boolean(raw.normalize);
  if (raw.overwrite !== undefined) c.overwrite = Boolean(raw.overwrite);
  if (raw.resume !== undefined) c.resume = Boolean(raw.resume);
  if (c.overwrite && c.resume) throw new ConfigError('--overwrite and --resume contradict each other: choose one');
  if (raw.summarySteps !== undefined) c.summarySteps = positiveInt('--summary-steps', raw.summarySteps as string);
  if (raw.checkpointSteps !== undefined) c.checkpointSteps = positiveInt('--checkpoint-steps', raw.checkpointSteps as string);
  if (raw.progress !== undefined) c.progress = Boolean(raw.progress);
  return c;
}

export interface RunSpec {
  /** Directory name under the logdir, e.g. `bn-lr0.01`. */
  name: string;
  useBn: boolean;
  learningRate: number;
  /** The run's seed of weights and batch order in a multi-seed experiment (recorded as hparam `seed`); absent: the config's seed. */
  seed?: number;
}

/**
 * Every (BN, learning rate) combination, no-BN first so its flat curve is drawn under the BN one;
 * with seeds, all combinations for the first seed, then for the next: an experiment stopped
 * half-way has every configuration at least once.
 */
export function runSpecs(c: ExperimentConfig): RunSpec[] {
  const bns = c.bn === 'both' ? [false, true] : [c.bn === 'on'];
  const specs: RunSpec[] = [];
  for (const seed of c.seeds ?? [undefined]) {
    for (const lr of c.learningRates) {
      for (const useBn of bns) {
        const name = `${useBn ? 'bn' : 'nobn'}-lr${lr}`;
        specs.push(seed === undefined ? { name, useBn, learningRate: lr } : { name: `${name}-s${seed}`, useBn, learningRate: lr, seed });
      }
    }
  }
  return specs;
}
