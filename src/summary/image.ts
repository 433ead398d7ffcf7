/**
 * Images: TensorBoard's native multi-image tensor — DT_STRING rank 1 `[width, height, png, png, …]`
 * (width/height as ASCII decimal) with the `images` plugin — so several images of one step are
 * one event (no grid needed). PNGs are encoded with pngjs.
 *
 * Pixel input is HWC (row-major, channels interleaved), channels 1 (gray), 3 (RGB) or 4 (RGBA):
 * - Uint8Array / Uint8ClampedArray: 0..255 as is.
 * - Float32Array / Float64Array / number[]: in [0, 1], converted like TensorFlow's
 *   `convert_image_dtype` (floor(v · 255.5)); NaN or values outside [0, 1] are errors.
 * - A tensor (duck-typed: `shape` [h, w, c] or [n, h, w, c] and `data()`/`dataSync()`): dtype
 *   'int32' means 0..255, any other dtype means floats in [0, 1].
 * - `{ png, width, height }`: an already-encoded PNG, written as is.
 */
import { PNG } from 'pngjs';
import { DataClass } from '../proto';
import { isPromiseLike, isTensorLike, type TensorLike } from '../util';
import { stringTensorObject } from './metadata';
import { argError, describe, type Step } from './validate';
import type { ValueOptions, WriterContext } from './writer-context';

type PixelArray = Uint8Array | Uint8ClampedArray | Float32Array | Float64Array | readonly number[];

export interface RawImage {
  data: PixelArray;
  height: number;
  width: number;
  channels: 1 | 3 | 4;
}

/** An encoded PNG (given by the caller, or made from pixels). */
interface PngImage {
  png: Uint8Array;
  width: number;
  height: number;
}

export type ImageInput = RawImage | PngImage | TensorLike | PixelArray;

export interface ImageOptions extends ValueOptions {
  /** The shape of bare HWC pixels. */
  height?: number;
  width?: number;
  channels?: 1 | 3 | 4;
}

const PLUGIN = 'images';

/** SummaryWriter.image() (`name` 'image') and SummaryWriter.images() ('images'): one event. */
export function writeImages(ctx: WriterContext, name: string, tag: string, imgs: readonly ImageInput[], step: Step, opts: ImageOptions): void {
  const method = `SummaryWriter.${name}`;
  const wallTime = ctx.begin(name, tag, step, opts);
  if (!Array.isArray(imgs)) {
    if (isTensorLike(imgs)) imgs = [imgs as ImageInput];
    else throw argError(method, 'imgs', 'an array of images (or a [n, h, w, c] tensor)', imgs);
  }
  if (imgs.length === 0) throw argError(method, 'imgs', 'at least one image', imgs);
  const pngs = toPngs(method, imgs, opts);
  ctx.emitValue(tag, step, wallTime, ctx.spec(PLUGIN, DataClass.BLOB_SEQUENCE, opts), pngs, (p) => ({ tensor: imageTensor(p) }));
}

const COLOR_TYPE: Record<number, number> = { 1: 0, 3: 2, 4: 6 };

function checkDims(method: string, arg: string, height: unknown, width: unknown, channels?: unknown): void {
  for (const [k, v] of [['height', height], ['width', width]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
      throw argError(method, `${arg}.${k}`, 'an integer between 1 and 65535', v);
    }
  }
  if (channels !== undefined && channels !== 1 && channels !== 3 && channels !== 4) {
    throw argError(method, `${arg}.channels`, '1 (grayscale), 3 (RGB) or 4 (RGBA)', channels);
  }
}

/** Converts pixels to bytes, validating float ranges. */
function toBytes(method: string, arg: string, data: ArrayLike<number>, floats: boolean): Uint8Array {
  if (!floats) {
    if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return new Uint8Array(data.buffer, data.byteOffset, data.length);
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!(v >= 0 && v <= 255) || Math.floor(v) !== v) throw argError(method, `${arg}[${i}]`, 'an integer pixel value in 0..255', v);
      out[i] = v;
    }
    return out;
  }
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= 0 && v <= 1)) {
      throw argError(method, `${arg}[${i}]`, 'a float pixel value in [0, 1] (pass a Uint8Array for 0..255 values; NaN is not a color)', v);
    }
    const b = Math.floor(v * 255.5);
    out[i] = b > 255 ? 255 : b;
  }
  return out;
}

export function encodePng(width: number, height: number, channels: 1 | 3 | 4, bytes: Uint8Array): Uint8Array {
  const png = new PNG({ width, height, colorType: COLOR_TYPE[channels], inputColorType: COLOR_TYPE[channels], inputHasAlpha: channels === 4, bitDepth: 8 } as ConstructorParameters<typeof PNG>[0]);
  png.data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return PNG.sync.write(png, { colorType: COLOR_TYPE[channels], inputColorType: COLOR_TYPE[channels], inputHasAlpha: channels === 4, bitDepth: 8 } as Parameters<typeof PNG.sync.write>[1]);
}

function rawToPng(method: string, arg: string, data: ArrayLike<number>, height: number, width: number, channels: number, floats: boolean): PngImage {
  checkDims(method, arg, height, width, channels);
  const need = height * width * channels;
  if (data.length !== need) {
    throw argError(method, `${arg}.data`, `${need} values (height ${height} × width ${width} × channels ${channels}, HWC order); fix the shape or the data`, data);
  }
  const bytes = toBytes(method, `${arg}.data`, data, floats);
  return { png: encodePng(width, height, channels as 1 | 3 | 4, bytes), width, height };
}

function isFloatArray(d: unknown): boolean {
  return Array.isArray(d) || d instanceof Float32Array || d instanceof Float64Array;
}

function isPixelArray(v: unknown): v is PixelArray {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * Normalizes image inputs to encoded PNGs (a [n,h,w,c] tensor gives n). Returns a Promise only
 * when a tensor's data must be awaited.
 */
function toPngs(method: string, inputs: readonly unknown[], shape: ImageOptions | undefined): PngImage[] | Promise<PngImage[]> {
  const parts: (PngImage[] | Promise<PngImage[]>)[] = inputs.map((img, i) => toPngList(method, inputs.length === 1 ? 'img' : `imgs[${i}]`, img, shape));
  const finish = (lists: PngImage[][]): PngImage[] => {
    const all = lists.flat();
    if (all.length === 0) throw argError(method, 'imgs', 'at least one image', inputs);
    const { width, height } = all[0];
    all.forEach((p, i) => {
      if (p.width !== width || p.height !== height) {
        throw argError(method, `imgs[${i}]`, `an image of the same size as imgs[0] (${width}×${height}); one step's images share one width and height — resize them or log them under different tags`, `${p.width}×${p.height}`);
      }
    });
    return all;
  };
  if (parts.some((p) => isPromiseLike(p))) return Promise.all(parts).then(finish);
  return finish(parts as PngImage[][]);
}

function toPngList(method: string, arg: string, img: unknown, shape: ImageOptions | undefined): PngImage[] | Promise<PngImage[]> {
  if (img === null || img === undefined) throw argError(method, arg, 'an image (pixels + shape, { data, height, width, channels }, { png, width, height } or a tensor)', img);
  const o = img as Record<string, unknown>;
  if (!isPixelArray(img) && typeof o === 'object' && o.png !== undefined) {
    if (!(o.png instanceof Uint8Array)) throw argError(method, `${arg}.png`, 'a Buffer/Uint8Array of PNG bytes', o.png);
    checkDims(method, arg, o.height, o.width);
    const p = o.png;
    if (p.length < 8 || p[0] !== 0x89 || p[1] !== 0x50 || p[2] !== 0x4e || p[3] !== 0x47) {
      throw argError(method, `${arg}.png`, 'PNG bytes (starting with \\x89PNG)', p);
    }
    return [{ png: p, width: o.width as number, height: o.height as number }];
  }
  if (isTensorLike(img)) {
    const t = img as TensorLike;
    const sh = t.shape;
    if (!Array.isArray(sh) || (sh.length !== 3 && sh.length !== 4)) {
      throw argError(method, `${arg}.shape`, 'a tensor shape [height, width, channels] or [n, height, width, channels]', sh);
    }
    const floats = t.dtype !== 'int32' && t.dtype !== 'uint8';
    const [n, h, w, c] = sh.length === 4 ? sh : [1, ...sh];
    const build = (d: ArrayLike<unknown>): PngImage[] => {
      const per = h * w * c;
      if (d.length !== n * per) throw argError(method, arg, `a tensor with ${n * per} values for shape [${sh.join(', ')}]`, `${d.length} values`);
      const out: PngImage[] = [];
      for (let k = 0; k < n; k++) {
        const slice = ArrayBuffer.isView(d) ? (d as unknown as Float32Array).subarray(k * per, (k + 1) * per) : (d as number[]).slice(k * per, (k + 1) * per);
        out.push(rawToPng(method, n > 1 ? `${arg}[${k}]` : arg, slice as ArrayLike<number>, h, w, c, floats));
      }
      return out;
    };
    const d = typeof t.data === 'function' ? t.data() : t.dataSync!();
    if (isPromiseLike(d)) return Promise.resolve(d).then(build);
    return build(d as ArrayLike<unknown>);
  }
  if (isPixelArray(img)) {
    if (!shape || shape.height === undefined || shape.width === undefined || shape.channels === undefined) {
      throw argError(method, 'options', '{ height, width, channels } when pixels are passed as a bare array', shape);
    }
    return [rawToPng(method, arg, img as ArrayLike<number>, shape.height, shape.width, shape.channels, isFloatArray(img))];
  }
  if (typeof o === 'object' && o.data !== undefined) {
    if (!isPixelArray(o.data)) throw argError(method, `${arg}.data`, 'a Uint8Array/Uint8ClampedArray (0..255) or Float32Array/number[] (0..1) of HWC pixels', o.data);
    return [rawToPng(method, arg, o.data as ArrayLike<number>, o.height as number, o.width as number, o.channels as number, isFloatArray(o.data))];
  }
  throw argError(method, arg, 'an image: { data, height, width, channels }, { png, width, height }, HWC pixels with options { height, width, channels }, or a tensor', `${describe(img)}`);
}

/** The `[w, h, png…]` DT_STRING tensor. */
function imageTensor(pngs: readonly PngImage[]): Record<string, unknown> {
  const size = [String(pngs[0].width), String(pngs[0].height)];
  return stringTensorObject([pngs.length + 2], [...size, ...pngs.map((p) => p.png)]);
}
