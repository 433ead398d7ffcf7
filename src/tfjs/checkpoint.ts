/**
 * TfjsCheckpointer: saves/restores a tfjs LayersModel's weights AND its optimizer's state (including
 * the iteration count, so Adam's bias correction continues) plus JSON user state, in plain Node
 * WITHOUT tfjs-node. It is the `checkpointer` adapter of MonitoredTrainingSession /
 * CheckpointSaverHook (`{ save(dir), restore(dir) }`).
 *
 * Files written in `dir` (tfjs "layers-model" format, loadable by `tf.loadLayersModel` with a file
 * IOHandler):
 *   model.json       { modelTopology, format, generatedBy, convertedBy, weightsManifest: [{ paths: ['weights.bin'], weights }] }
 *   weights.bin      model weights (concatenated, manifest order)
 *   optimizer.json   { className, iterations, weightSpecs }   (when an optimizer is saved)
 *   optimizer.bin    optimizer.getWeights() tensors (first is 'iter')
 *   state.json       JSON user state (when getState is given)
 *
 * `save(dir)` is atomic: it writes into `<dir>.tmp-<pid>-<n>` and renames it to `dir`.
 * `restore(dir)` loads weights into the EXISTING model (by name when the names match, else by
 * position with a count/shape check: layer names differ between processes) and calls
 * `optimizer.setWeights` (the optimizer must be the same class; Adam's moment slots are recreated).
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Checkpointer } from '../session';

export interface TfjsCheckpointerOptions {
  model: tf.LayersModel;
  /** Default: `model.optimizer` (set by compile). `null` to not save optimizer state. */
  optimizer?: tf.Optimizer | null;
  /** JSON-serialisable user state (data position, RNG seed, …) saved in state.json. */
  getState?: () => unknown;
  setState?: (state: unknown) => void | Promise<void>;
}

let counter = 0;

function joinWeightData(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  return tf.io.CompositeArrayBuffer.join(data as ArrayBuffer | ArrayBuffer[]);
}

async function writeSync(file: string, data: string | Uint8Array): Promise<void> {
  const fh = await fsp.open(file, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** An IOHandler writing model.json + weights.bin into `dir` (which must exist). */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const weights = joinWeightData(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeSync(path.join(dir, 'weights.bin'), new Uint8Array(weights));
      await writeSync(path.join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** An IOHandler reading model.json + weights.bin from `dir` (for `tf.loadLayersModel(fileLoadHandler(dir))`). */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = JSON.parse(await fsp.readFile(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          // model.json is read from disk: a weights path must stay inside the checkpoint directory.
          if (typeof p !== 'string' || p === '' || p === '.' || p === '..' || /[\\/\0]/.test(p)) {
            throw new Error(`${path.join(dir, 'model.json')}: weights path ${JSON.stringify(p)} must be a file name in the checkpoint directory`);
          }
          const b = await fsp.readFile(path.join(dir, p));
          buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
        }
      }
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        trainingConfig: json.trainingConfig,
        userDefinedMetadata: json.userDefinedMetadata,
        weightSpecs: specs,
        weightData: tf.io.CompositeArrayBuffer.join(buffers),
      };
    },
  };
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export class TfjsCheckpointer implements Checkpointer {
  readonly model: tf.LayersModel;
  private readonly opts: TfjsCheckpointerOptions;

  /** `new TfjsCheckpointer({ model, optimizer?, getState?, setState? })` or `new TfjsCheckpointer(model, optimizer?)`. */
  constructor(opts: TfjsCheckpointerOptions);
  constructor(model: tf.LayersModel, optimizer?: tf.Optimizer | null);
  constructor(a: TfjsCheckpointerOptions | tf.LayersModel, optimizer?: tf.Optimizer | null) {
    const opts: TfjsCheckpointerOptions = a instanceof tf.LayersModel ? { model: a, ...(optimizer !== undefined ? { optimizer } : {}) } : a;
    if (!opts || !opts.model) throw new TypeError('TfjsCheckpointer: model is required');
    this.model = opts.model;
    this.opts = opts;
  }

  private get optimizer(): tf.Optimizer | undefined {
    if (this.opts.optimizer === null) return undefined;
    return this.opts.optimizer ?? (this.model.optimizer as tf.Optimizer | undefined);
  }

  async save(dir: string): Promise<void> {
    const tmp = `${dir}.tmp-${process.pid}-${++counter}`;
    await fsp.mkdir(tmp, { recursive: true });
    try {
      await this.model.save(fileSaveHandler(tmp));
      const opt = this.optimizer;
      if (opt) {
        const named = await opt.getWeights();
        try {
          const { data, specs } = await tf.io.encodeWeights(named);
          const meta = { className: opt.getClassName(), iterations: opt.iterations, weightSpecs: specs };
          await writeSync(path.join(tmp, 'optimizer.bin'), new Uint8Array(data));
          await writeSync(path.join(tmp, 'optimizer.json'), JSON.stringify(meta));
        } finally {
          // getWeights() returns the optimizer's LIVE slot variables plus a fresh 'iter' scalar:
          // dispose only what is not a Variable.
          for (const n of named) if (!(n.tensor instanceof tf.Variable)) n.tensor.dispose();
        }
      }
      if (this.opts.getState) {
        await writeSync(path.join(tmp, 'state.json'), JSON.stringify(this.opts.getState() ?? null));
      }
      if (fs.existsSync(dir)) {
        const old = `${dir}.old-${process.pid}-${++counter}`;
        await fsp.rename(dir, old);
        await fsp.rename(tmp, dir);
        await fsp.rm(old, { recursive: true, force: true });
      } else {
        await fsp.mkdir(path.dirname(dir), { recursive: true });
        await fsp.rename(tmp, dir);
      }
    } catch (e) {
      await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw e;
    }
  }

  async restore(dir: string): Promise<void> {
    const artifacts = await fileLoadHandler(dir).load!();
    const specs = artifacts.weightSpecs ?? [];
    const weights = tf.io.decodeWeights(artifacts.weightData!, specs);
    try {
      const targets = this.model.weights;
      const names = new Set(targets.map((w) => w.originalName));
      if (specs.length === targets.length && specs.every((s) => names.has(s.name))) {
        this.model.loadWeights(weights, true);
      } else {
        // Layer names are generated per process (dense_Dense1, dense_Dense3, …): fall back to the
        // manifest order, which is the model's weight order, checking count and shapes.
        if (specs.length !== targets.length) {
          throw new Error(`TfjsCheckpointer: checkpoint has ${specs.length} weights, the model has ${targets.length}`);
        }
        const values = specs.map((s, i) => {
          const t = weights[s.name];
          const want = targets[i].shape;
          if (t.shape.length !== want.length || t.shape.some((d, j) => d !== want[j])) {
            throw new Error(`TfjsCheckpointer: weight ${i} (${s.name}) has shape [${t.shape}], the model's ${targets[i].originalName} has [${want}]`);
          }
          return t;
        });
        this.model.setWeights(values);
      }
    } finally {
      for (const t of Object.values(weights)) t.dispose();
    }
    const opt = this.optimizer;
    const optJson = path.join(dir, 'optimizer.json');
    if (opt && fs.existsSync(optJson)) {
      const meta = JSON.parse(await fsp.readFile(optJson, 'utf8')) as { className: string; weightSpecs: tf.io.WeightsManifestEntry[] };
      if (meta.className !== opt.getClassName()) {
        throw new Error(`TfjsCheckpointer: checkpoint optimizer is ${meta.className}, the model uses ${opt.getClassName()}`);
      }
      const buf = toArrayBuffer(await fsp.readFile(path.join(dir, 'optimizer.bin')));
      const map = tf.io.decodeWeights(buf, meta.weightSpecs);
      // Keep manifest order (setWeights is positional: iter, then the slots).
      const named = meta.weightSpecs.map((s) => ({ name: s.name, tensor: map[s.name] }));
      try {
        await opt.setWeights(named);
      } finally {
        for (const n of named) if (!n.tensor.isDisposed) n.tensor.dispose();
      }
    }
    const stateFile = path.join(dir, 'state.json');
    if (this.opts.setState && fs.existsSync(stateFile)) {
      await this.opts.setState(JSON.parse(await fsp.readFile(stateFile, 'utf8')));
    }
  }
}
