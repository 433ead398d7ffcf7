/**
 * tbkit as another project gets it: `npm pack` (its prepack builds dist/), installed into an empty
 * project from the tarball (dependencies from the registry, --prefer-offline), then:
 * - the writer-only install: its size on disk (printed, budget 15 MB), CommonJS and ESM imports,
 *   `tbkit/tfjs` and `tbkit experiment` naming the install command while tfjs is absent;
 * - with @tensorflow/tfjs installed too: a tiny model.fit with the one-line tensorBoard callback,
 *   read back (train and val runs, batch_ and epoch_ tags, histograms), and tbkit/tfjs from ESM;
 * - the consumer's TypeScript under node16, nodenext, bundler and node10 with skipLibCheck: false.
 * Skipped, with one line saying why, when npm or its registry is not reachable.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { sharedHost, typeCheck, type Resolution } from './type-check';

const REPO = path.resolve(__dirname, '..', '..');
const CONSUMER_FILES = path.join(__dirname, 'consumer');
const BUDGET_BYTES = 15_000_000;
const exec = promisify(execFile);

/** The parent npm's settings (npm test) are not the consumer's. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'NODE_TEST_CONTEXT' && k !== 'INIT_CWD') env[k] = v;
  return env;
}

async function run(cmd: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await exec(cmd, args, { cwd, env: cleanEnv(), maxBuffer: 64 << 20, timeout: 150_000 });
    return { ...r, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number | string };
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? String(e), code: typeof err.code === 'number' ? err.code : 1 };
  }
}

function unavailable(): string | false {
  try {
    execFileSync('npm', ['ping'], { env: cleanEnv(), stdio: 'pipe', timeout: 20_000 });
    return false;
  } catch (e) {
    return `npm or its registry is not reachable (npm ping: ${String((e as Error).message).split('\n')[0]})`;
  }
}

/** Bytes of the files under `dir` (what the install puts on disk, before block rounding). */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += bytesUnder(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

/** The biggest packages of a node_modules folder (scoped ones by their full name). */
function biggest(nodeModules: string, n: number): string {
  const sizes: Array<[string, number]> = [];
  for (const e of fs.readdirSync(nodeModules, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const names = e.name.startsWith('@') ? fs.readdirSync(path.join(nodeModules, e.name)).map((s) => `${e.name}/${s}`) : [e.name];
    for (const name of names) sizes.push([name, bytesUnder(path.join(nodeModules, name))]);
  }
  sizes.sort((a, b) => b[1] - a[1]);
  return sizes.slice(0, n).map(([name, b]) => `${name} ${(b / 1e6).toFixed(2)} MB`).join(', ');
}

const mb = (b: number): string => `${(b / 1e6).toFixed(2)} MB (${(b / 2 ** 20).toFixed(2)} MiB)`;

test('the packed package in an empty project: install size, CJS + ESM, types, model.fit with tensorBoard()', { skip: unavailable(), timeout: 300_000 }, async (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-consumer-'));
  t.after(() => fs.rmSync(work, { recursive: true, force: true }));
  const project = path.join(work, 'consumer');
  fs.cpSync(CONSUMER_FILES, project, { recursive: true });
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const npmInstall = async (...what: string[]): Promise<void> => {
    const r = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...what], project);
    assert.equal(r.code, 0, `npm install ${what.join(' ')}:\n${r.stderr}`);
  };
  const node = async (...args: string[]) => run(process.execPath, args, project);

  await t.test('npm pack (prepack: npm run build)', async () => {
    const r = await run('npm', ['pack', '--pack-destination', work, '--silent'], REPO);
    assert.equal(r.code, 0, r.stderr);
    const tarball = path.join(work, r.stdout.trim().split('\n').pop()!);
    assert.ok(fs.existsSync(tarball), r.stdout);
    await npmInstall(tarball);
  });

  await t.test(`the writer-only install is at most ${mb(BUDGET_BYTES)}`, () => {
    const nodeModules = path.join(project, 'node_modules');
    const bytes = bytesUnder(nodeModules);
    t.diagnostic(`writer-only install: ${mb(bytes)} in ${fs.readdirSync(nodeModules).length} top-level entries; biggest: ${biggest(nodeModules, 6)}`);
    assert.ok(!fs.existsSync(path.join(nodeModules, '@tensorflow')), 'no TensorFlow.js in a writer-only install');
    assert.ok(bytes <= BUDGET_BYTES, `${mb(bytes)} > ${mb(BUDGET_BYTES)}`);
  });

  const install = 'npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm';
  await t.test('CommonJS and ESM imports; without tfjs, tbkit/tfjs and tbkit experiment say what to install', async () => {
    const cjs = JSON.parse((await node('cjs.js')).stdout);
    assert.deepEqual(cjs.loss, [[1, 0.5], [2, 0.25]]);
    assert.equal(cjs.tfjs, `tbkit: tbkit/tfjs needs TensorFlow.js, and @tensorflow/tfjs is not installed: ${install}`);
    const esm = JSON.parse((await node('esm.mjs')).stdout);
    assert.deepEqual(esm.acc, [[3, 0.75]]);
    assert.match(esm.tfjs, new RegExp(`^tbkit: tbkit/tfjs needs TensorFlow.js.*: ${install}$`));
    const experiment = await node(path.join('node_modules', 'tbkit', 'bin', 'tbkit.js'), 'experiment', '--dataset', 'synthetic');
    assert.equal(experiment.code, 2);
    assert.equal(experiment.stderr.trim(), `tbkit: error: tbkit experiment needs TensorFlow.js, and @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm are not installed: ${install}`);
  });

  await t.test('with @tensorflow/tfjs: model.fit with tensorBoard(logdir) logs train and val runs, read back', async () => {
    const range = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).devDependencies['@tensorflow/tfjs'];
    await npmInstall(`@tensorflow/tfjs@${range}`);
    const r = await node('train.js', 'fit-logs');
    assert.equal(r.code, 0, r.stderr);
    const runs = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(runs).sort(), ['train', 'val']);
    // 24 training samples (validationSplit 0.25) in batches of 8: 3 batches an epoch, 2 epochs.
    assert.deepEqual(runs.train.scalars.batch_loss, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(runs.train.scalars.epoch_loss, [1, 2]);
    assert.deepEqual(runs.val.scalars.epoch_loss, [1, 2]);
    assert.ok(runs.train.tags.filter((tag: string) => tag.startsWith('histograms:')).length === 2, runs.train.tags.join(', '));
    assert.ok(runs.train.tags.includes('graph_keras_model:keras'));
    assert.equal(JSON.parse((await node('esm.mjs')).stdout).tfjs, 'function');
  });

  await t.test('TypeScript: node16, nodenext, bundler, node10 with skipLibCheck: false', () => {
    const host = sharedHost(project);
    const problems: string[] = [];
    for (const resolution of ['node16', 'nodenext', 'bundler', 'node10'] as Resolution[]) {
      const files = ['writer.ts', 'fit.ts', ...(resolution === 'node16' || resolution === 'nodenext' ? ['esm.mts'] : [])];
      problems.push(...typeCheck(project, files, resolution, host));
    }
    assert.deepEqual(problems, []);
  });
});
