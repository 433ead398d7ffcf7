/**
 * Embeddings for TensorBoard's projector, laid out as tensorboardX's `add_embedding` does:
 *
 *   <run dir>/<step zero-padded to 5>/<tag>/tensors.tsv    one row per point, tab-separated
 *   <run dir>/<step>/<tag>/metadata.tsv                    labels (header row when > 1 column)
 *   <run dir>/<step>/<tag>/sprite.png                      label images in a square grid ≤ 8192 px
 *   <run dir>/projector_config.pbtxt                       one `embeddings { … }` block per (tag, step)
 *
 * The config is merged: writing the same tag and step again replaces that block; other blocks
 * (from earlier calls or earlier processes) are kept.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isPromiseLike, isTensorLike } from '../util';
import { encodePng, type RawImage } from './image';
import { resolveArray, type ArrayValue, type ResolvedArray } from './values';
import { argError, checkPathTag, checkStep, type Step } from './validate';
import type { WriterContext } from './writer-context';

export interface EmbeddingOptions {
  /** One label per row (string[]), or columns per row (string[][]) with `metadataHeader`. */
  metadata?: readonly string[] | readonly (readonly string[])[];
  metadataHeader?: readonly string[];
  /** One image per row, shown as a sprite (≤ 8192 px square). */
  labelImages?: readonly RawImage[];
  /** Projector tensor name and directory; default 'default'. A single path component. */
  tag?: string;
  /** Default 0. */
  step?: Step;
  /** [rows, cols] when `mat` is a flat array. */
  shape?: readonly number[];
}

export type EmbeddingInput = readonly (readonly number[])[] | ArrayLike<number> | ArrayValue;

const MAX_SPRITE_PX = 8192;

interface EmbeddingMatrix { values: ArrayLike<number>; rows: number; cols: number }

/**
 * SummaryWriter.embedding(). Argument errors throw (for a tensor or Promise once it resolves, they
 * are reported); I/O errors are reported, never thrown.
 */
export function writeEmbedding(ctx: WriterContext, mat: EmbeddingInput, opts: EmbeddingOptions): void {
  const method = 'SummaryWriter.embedding';
  ctx.checkOpen('embedding');
  const tag = checkPathTag(method, opts.tag ?? 'default');
  const step = checkStep(method, opts.step ?? 0, 'options.step');
  const write = (m: EmbeddingMatrix): void => {
    const meta = opts.metadata === undefined ? undefined : metadataTsv(method, opts.metadata, m.rows, opts.metadataHeader);
    const sprite = opts.labelImages === undefined ? undefined : spritePng(method, opts.labelImages, m.rows);
    try {
      writeFiles(ctx.logdir, tag, step, m, meta, sprite);
    } catch (e) {
      ctx.reportError(e);
    }
  };
  if (isTensorLike(mat) || isPromiseLike(mat)) {
    const r = resolveArray(method, 'mat', mat);
    const toM = (x: ResolvedArray): EmbeddingMatrix => toMatrix(method, x.values, x.shape && x.shape.length === 2 ? x.shape : opts.shape);
    if (!isPromiseLike(r)) write(toM(r));
    else ctx.queue.run([`\0embedding/${tag}`], r, (x) => write(toM(x)));
    return;
  }
  write(toMatrix(method, mat, opts.shape));
}

/** The files of one (tag, step) under the run directory, and its block in the projector config. */
function writeFiles(logdir: string, tag: string, step: Step, m: EmbeddingMatrix, meta: string | undefined, sprite: Sprite | undefined): void {
  const sub = `${String(step).padStart(5, '0')}/${tag}`;
  const dir = path.join(logdir, sub);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tensors.tsv'), tensorsTsv(m));
  if (meta !== undefined) fs.writeFileSync(path.join(dir, 'metadata.tsv'), meta);
  if (sprite) fs.writeFileSync(path.join(dir, 'sprite.png'), sprite.png);
  mergeProjectorConfig(logdir, {
    tensorName: `${tag}:${String(step).padStart(5, '0')}`,
    tensorPath: `${sub}/tensors.tsv`,
    metadataPath: meta !== undefined ? `${sub}/metadata.tsv` : undefined,
    sprite: sprite ? { imagePath: `${sub}/sprite.png`, width: sprite.width, height: sprite.height } : undefined,
  });
}

function toMatrix(method: string, mat: unknown, shape?: readonly number[]): EmbeddingMatrix {
  if (Array.isArray(mat) && mat.length > 0 && Array.isArray(mat[0])) {
    const rows = mat.length;
    const cols = (mat[0] as unknown[]).length;
    if (cols === 0) throw argError(method, 'mat[0]', 'a non-empty row of numbers', mat[0]);
    const values = new Float64Array(rows * cols);
    mat.forEach((r: unknown, i) => {
      if (!Array.isArray(r) || r.length !== cols) throw argError(method, `mat[${i}]`, `a row of ${cols} numbers (all rows equally long)`, r);
      r.forEach((x, j) => {
        if (typeof x !== 'number') throw argError(method, `mat[${i}][${j}]`, 'a number', x);
        values[i * cols + j] = x;
      });
    });
    return { values, rows, cols };
  }
  if (ArrayBuffer.isView(mat) || Array.isArray(mat)) {
    const arr = mat as ArrayLike<number>;
    if (!shape || shape.length !== 2) throw argError(method, 'options.shape', '[rows, cols] when mat is a flat array', shape);
    const [rows, cols] = shape;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || rows * cols !== arr.length) {
      throw argError(method, 'options.shape', `[rows, cols] with rows × cols = ${arr.length} (the length of mat)`, shape);
    }
    return { values: arr, rows, cols };
  }
  throw argError(method, 'mat', 'a number[][] or a flat Float32Array/number[] with options.shape [rows, cols], or a 2-D tensor', mat);
}

function cell(s: unknown): string {
  return String(s).replace(/[\t\r\n]/g, ' ');
}

function metadataTsv(method: string, metadata: unknown, rows: number, header?: readonly string[]): string {
  if (!Array.isArray(metadata)) throw argError(method, 'options.metadata', 'a string[] (one label per row) or string[][] (columns, with options.metadataHeader)', metadata);
  if (metadata.length !== rows) throw argError(method, 'options.metadata', `${rows} entries (one per row of mat)`, `${metadata.length} entries`);
  const multi = metadata.length > 0 && Array.isArray(metadata[0]);
  if (!multi) {
    if (header && header.length > 1) throw argError(method, 'options.metadataHeader', 'one column name for single-column metadata', header);
    return (header ? cell(header[0]) + '\n' : '') + metadata.map((m) => cell(m) + '\n').join('');
  }
  const cols = (metadata[0] as unknown[]).length;
  if (!header || header.length !== cols) throw argError(method, 'options.metadataHeader', `${cols} column names (multi-column metadata needs a header row)`, header);
  const lines = [header.map(cell).join('\t')];
  metadata.forEach((r: unknown, i) => {
    if (!Array.isArray(r) || r.length !== cols) throw argError(method, `options.metadata[${i}]`, `a row of ${cols} values`, r);
    lines.push(r.map(cell).join('\t'));
  });
  return lines.join('\n') + '\n';
}

function tensorsTsv(m: EmbeddingMatrix): string {
  const lines: string[] = new Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    const parts: string[] = new Array(m.cols);
    for (let j = 0; j < m.cols; j++) parts[j] = String(m.values[i * m.cols + j]);
    lines[i] = parts.join('\t');
  }
  return lines.join('\n') + '\n';
}

interface Sprite { png: Uint8Array; width: number; height: number }

/** Sprite: images in a ceil(sqrt(n)) square grid, row-major, RGBA PNG. */
function spritePng(method: string, imgs: readonly RawImage[], rows: number): Sprite {
  if (!Array.isArray(imgs) || imgs.length !== rows) throw argError(method, 'options.labelImages', `${rows} images (one per row of mat)`, imgs);
  const { width: w, height: h } = imgs[0] ?? {};
  const n = Math.ceil(Math.sqrt(rows));
  if (n * w > MAX_SPRITE_PX || n * h > MAX_SPRITE_PX) {
    throw argError(method, 'options.labelImages', `images small enough for a ${n}×${n} sprite of at most ${MAX_SPRITE_PX} px (use ≤ ${Math.floor(MAX_SPRITE_PX / n)} px images)`, `${w}×${h} images`);
  }
  const W = n * w;
  const H = n * h;
  const out = new Uint8Array(W * H * 4);
  imgs.forEach((img, k) => {
    const arg = `options.labelImages[${k}]`;
    if (!img || img.width !== w || img.height !== h) throw argError(method, arg, `a ${w}×${h} image like labelImages[0]`, img);
    const c = img.channels;
    if (c !== 1 && c !== 3 && c !== 4) throw argError(method, `${arg}.channels`, '1, 3 or 4', c);
    const d = img.data;
    if (!d || d.length !== w * h * c) throw argError(method, `${arg}.data`, `${w * h * c} values (HWC)`, d);
    const floats = !(d instanceof Uint8Array || d instanceof Uint8ClampedArray);
    const ox = (k % n) * w;
    const oy = Math.floor(k / n) * h;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = (y * w + x) * c;
        const dst = ((oy + y) * W + ox + x) * 4;
        for (let ch = 0; ch < 4; ch++) {
          let v: number;
          if (ch === 3) v = c === 4 ? d[src + 3] : floats ? 1 : 255;
          else v = c === 1 ? d[src] : d[src + ch];
          if (floats) {
            if (!(v >= 0 && v <= 1)) throw argError(method, `${arg}.data[${src}]`, 'a float in [0, 1]', v);
            v = Math.min(255, Math.floor(v * 255.5));
          }
          out[dst + ch] = v;
        }
      }
    }
  });
  return { png: encodePng(W, H, 4, out), width: w, height: h };
}

interface EmbeddingBlock {
  tensorName: string;
  tensorPath: string;
  metadataPath?: string;
  sprite?: { imagePath: string; width: number; height: number };
}

function pbtxtBlock(b: EmbeddingBlock): string {
  let s = 'embeddings {\n';
  s += `tensor_name: ${JSON.stringify(b.tensorName)}\n`;
  s += `tensor_path: ${JSON.stringify(b.tensorPath)}\n`;
  if (b.metadataPath) s += `metadata_path: ${JSON.stringify(b.metadataPath)}\n`;
  if (b.sprite) {
    s += 'sprite {\n';
    s += `image_path: ${JSON.stringify(b.sprite.imagePath)}\n`;
    s += `single_image_dim: ${b.sprite.width}\n`;
    s += `single_image_dim: ${b.sprite.height}\n`;
    s += '}\n';
  }
  return s + '}\n';
}

/** Merges `block` into `<dir>/projector_config.pbtxt` (same tensor_name is replaced). */
function mergeProjectorConfig(dir: string, block: EmbeddingBlock): void {
  const file = path.join(dir, 'projector_config.pbtxt');
  let existing = '';
  try {
    existing = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const blocks = splitBlocks(existing);
  const name = JSON.stringify(block.tensorName);
  const kept = blocks.filter((b) => !b.includes(`tensor_name: ${name}\n`));
  kept.push(pbtxtBlock(block));
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, kept.join(''));
  fs.renameSync(tmp, file);
}

/** Splits a projector config into top-level blocks (brace matching; strings respected). */
function splitBlocks(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inStr) {
      if (ch === '\\') i++;
      else if (ch === '"') inStr = false;
      continue;
    }
    if (ch === '"') inStr = true;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) {
        let end = i + 1;
        if (text[end] === '\n') end++;
        out.push(text.slice(start, end).replace(/^\s+/, ''));
        start = end;
      }
    }
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest + '\n');
  return out;
}
