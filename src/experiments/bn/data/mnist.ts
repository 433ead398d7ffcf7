/**
 * Finding, downloading, verifying and loading the four MNIST IDX files.
 *
 * Lookup order of {@link locateMnist}:
 *   1. an explicit directory: `dataDir` (CLI `--data-dir`), else env `MNIST_DIR`.
 *      If given, it MUST contain the files (error naming the missing ones);
 *      there is no silent fall-through to the cache or a download.
 *   2. the user cache: `cacheDir`, else `$XDG_CACHE_HOME/tbkit/mnist`,
 *      else `~/.cache/tbkit/mnist`.
 *   3. download the missing files into the cache from a list of mirrors
 *      (unless `download: false`), each into a temp file renamed into place
 *      only after its MD5 matches the canonical checksum.
 *
 * Each file may be present either as the canonical gzip file
 * (`train-images-idx3-ubyte.gz`) or already gunzipped
 * (`train-images-idx3-ubyte`). Files are always MD5-verified (hashing the
 * ~11.6 MB of gzip files costs a few tens of ms): a gzip file must match the
 * canonical gzip MD5 or, if it was re-compressed by some other tool, its
 * decompressed content must match the canonical uncompressed MD5; a gunzipped
 * file must match the uncompressed MD5.
 */
import { createHash, randomBytes } from 'crypto';
import { createReadStream, createWriteStream, promises as fsp } from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { DataError, ImageDataset, NUM_CLASSES, assertSameCount, maybeGunzip, parseIdxImages, parseIdxLabels, readDataFile } from './idx';

export type MnistSplit = 'train' | 'test';
export type MnistFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface MnistFileSpec {
  key: MnistFileKey;
  split: MnistSplit;
  kind: 'images' | 'labels';
  /** Canonical gzip file name, e.g. train-images-idx3-ubyte.gz */
  name: string;
  /** Name of the gunzipped file, e.g. train-images-idx3-ubyte */
  rawName: string;
  /** MD5 of the canonical gzip file. */
  md5: string;
  /** MD5 of the decompressed content. */
  rawMd5: string;
  /** Size in bytes of the canonical gzip file. */
  bytes: number;
  /** Size in bytes of the decompressed content. */
  rawBytes: number;
  /** Number of examples. */
  count: number;
}

/** The four canonical MNIST files (checksums as listed in shared/data/mnist/SOURCE.txt). */
export const MNIST_FILES: readonly MnistFileSpec[] = [
  {
    key: 'trainImages', split: 'train', kind: 'images',
    name: 'train-images-idx3-ubyte.gz', rawName: 'train-images-idx3-ubyte',
    md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873', rawMd5: '6bbc9ace898e44ae57da46a324031adb',
    bytes: 9912422, rawBytes: 47040016, count: 60000,
  },
  {
    key: 'trainLabels', split: 'train', kind: 'labels',
    name: 'train-labels-idx1-ubyte.gz', rawName: 'train-labels-idx1-ubyte',
    md5: 'd53e105ee54ea40749a09fcbcd1e9432', rawMd5: 'a25bea736e30d166cdddb491f175f624',
    bytes: 28881, rawBytes: 60008, count: 60000,
  },
  {
    key: 'testImages', split: 'test', kind: 'images',
    name: 't10k-images-idx3-ubyte.gz', rawName: 't10k-images-idx3-ubyte',
    md5: '9fb629c4189551a2d022fa330f9573f3', rawMd5: '2646ac647ad5339dbf082846283269ea',
    bytes: 1648877, rawBytes: 7840016, count: 10000,
  },
  {
    key: 'testLabels', split: 'test', kind: 'labels',
    name: 't10k-labels-idx1-ubyte.gz', rawName: 't10k-labels-idx1-ubyte',
    md5: 'ec29112dd5afa0611ce80d1b7f02629c', rawMd5: '27ae3e4e09519cfbb04c329615203637',
    bytes: 4542, rawBytes: 10008, count: 10000,
  },
];

/** Well-known mirrors serving the canonical gzip files (file name appended). */
export const DEFAULT_MNIST_MIRRORS: readonly string[] = [
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
];

/** Default per-request inactivity timeout for downloads. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 30_000;

export type Logger = (message: string) => void;

export interface LocateMnistOptions {
  /** Explicit directory (CLI --data-dir). Takes precedence over env MNIST_DIR. */
  dataDir?: string;
  /** Cache directory; default $XDG_CACHE_HOME/tbkit/mnist or ~/.cache/tbkit/mnist. */
  cacheDir?: string;
  /** Download missing files into the cache (default true). */
  download?: boolean;
  /** Progress / diagnostic messages (default: silent). */
  log?: Logger;
  /** Mirror base URLs, tried in order (default {@link DEFAULT_MNIST_MIRRORS}). */
  mirrors?: readonly string[];
  /** Inactivity timeout per HTTP request in ms (default 30 s). */
  timeoutMs?: number;
  /** Environment to read MNIST_DIR / XDG_CACHE_HOME / HOME from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The user cache directory for MNIST. */
export function defaultMnistCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'tbkit', 'mnist');
  const home = env.HOME || os.homedir();
  return path.join(home, '.cache', 'tbkit', 'mnist');
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isFile();
  } catch {
    return false;
  }
}

export interface MnistDirScan {
  /** Path of each file found (gzip name preferred over the gunzipped name). */
  found: Partial<Record<MnistFileKey, string>>;
  missing: MnistFileSpec[];
}

/** Which of the four files `dir` contains (as .gz or gunzipped). Does not verify. */
export async function scanMnistDir(dir: string): Promise<MnistDirScan> {
  const found: Partial<Record<MnistFileKey, string>> = {};
  const missing: MnistFileSpec[] = [];
  for (const spec of MNIST_FILES) {
    const gz = path.join(dir, spec.name);
    const raw = path.join(dir, spec.rawName);
    if (await isFile(gz)) found[spec.key] = gz;
    else if (await isFile(raw)) found[spec.key] = raw;
    else missing.push(spec);
  }
  return { found, missing };
}

function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

function corruptError(file: string, actual: string, expected: string, extra = ''): DataError {
  return new DataError(
    `file ${file} has MD5 ${actual}, expected ${expected}: the download is corrupt, delete it` +
      ` (and fetch it again, or let tbkit download it into its cache)${extra}`,
    file,
  );
}

/**
 * Verifies in-memory file contents against the canonical checksums and returns
 * the decompressed IDX bytes. See the module comment for the rules.
 */
export async function verifyMnistBytes(bytes: Uint8Array, file: string, spec: MnistFileSpec): Promise<Uint8Array> {
  return (await verify(bytes, file, spec, true))!;
}

/** Reads and verifies one file (see {@link verifyMnistBytes}); returns decompressed bytes. */
export async function verifyMnistFile(file: string, spec: MnistFileSpec): Promise<Uint8Array> {
  return (await verify(await readDataFile(file), file, spec, true))!;
}

/** Reads and verifies one file without keeping (or, when canonical, computing) the decompressed bytes. */
export async function checkMnistFile(file: string, spec: MnistFileSpec): Promise<void> {
  await verify(await readDataFile(file), file, spec, false);
}

async function verify(bytes: Uint8Array, file: string, spec: MnistFileSpec, wantRaw: boolean): Promise<Uint8Array | undefined> {
  const isGzName = /\.gz$/i.test(file);
  const digest = md5Hex(bytes);
  if (isGzName) {
    if (digest === spec.md5) return wantRaw ? maybeGunzip(bytes, file) : undefined;
    // Not the canonical gzip stream: accept a re-compressed copy whose content is canonical.
    let raw: Uint8Array;
    try {
      raw = await maybeGunzip(bytes, file);
    } catch (e) {
      throw corruptError(file, digest, spec.md5, ` [${(e as Error).message}]`);
    }
    if (md5Hex(raw) === spec.rawMd5) return raw;
    throw corruptError(file, digest, spec.md5);
  }
  if (digest === spec.rawMd5) return bytes;
  // A gunzipped name holding gzip data is fine if the content is canonical.
  const raw = await maybeGunzip(bytes, file);
  if (raw !== bytes && md5Hex(raw) === spec.rawMd5) return raw;
  throw corruptError(file, digest, spec.rawMd5, ' (expected MD5 is that of the uncompressed file)');
}

/** Verifies all four files of a complete scan; throws on the first bad one. */
async function verifyScan(scan: MnistDirScan): Promise<void> {
  for (const spec of MNIST_FILES) {
    const file = scan.found[spec.key];
    if (file) await checkMnistFile(file, spec);
  }
}

function fixAdvice(cacheDir: string): string {
  return [
    'How to fix (any one of):',
    '  --data-dir DIR          point at a directory holding the four MNIST files',
    '  MNIST_DIR=DIR           the same, through the environment',
    `  put the files in ${cacheDir}`,
    `                          (${MNIST_FILES.map((f) => f.name).join(', ')}; gzip'd or gunzipped)`,
    '  --dataset synthetic     run on generated digit-like images instead (not MNIST)',
  ].join('\n');
}

/**
 * Returns a directory holding all four verified MNIST files (see the module
 * comment for the lookup order). Throws a DataError listing every place it
 * looked and how to fix it when nothing usable is found.
 */
export async function locateMnist(options: LocateMnistOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const cacheDir = path.resolve(options.cacheDir ?? defaultMnistCacheDir(env));

  // 1. explicit directory
  const explicit = options.dataDir || env.MNIST_DIR || undefined;
  if (explicit !== undefined) {
    const how = options.dataDir ? '--data-dir' : 'MNIST_DIR';
    const dir = path.resolve(explicit);
    let st;
    try {
      st = await fsp.stat(dir);
    } catch {
      throw new DataError(`MNIST directory ${dir} (from ${how}) does not exist.\n${fixAdvice(cacheDir)}`, dir);
    }
    if (!st.isDirectory()) throw new DataError(`MNIST directory ${dir} (from ${how}) is not a directory`, dir);
    const scan = await scanMnistDir(dir);
    if (scan.missing.length > 0) {
      throw new DataError(
        `MNIST directory ${dir} (from ${how}) is missing ${scan.missing.length} of the 4 files: ` +
          `${scan.missing.map((f) => `${f.name} (or ${f.rawName})`).join(', ')}. ` +
          `An explicitly given directory is never filled by a download: add the files there, or drop ${how} ` +
          `to use the cache ${cacheDir} (downloading into it if needed).`,
        dir,
      );
    }
    await verifyScan(scan);
    log(`MNIST: using ${dir} (from ${how})`);
    return dir;
  }

  // 2. user cache
  const looked: string[] = [
    'option --data-dir: not given',
    'environment variable MNIST_DIR: not set',
  ];
  const scan = await scanMnistDir(cacheDir);
  if (scan.missing.length === 0) {
    await verifyScan(scan);
    log(`MNIST: using cache ${cacheDir}`);
    return cacheDir;
  }
  looked.push(
    `cache directory ${cacheDir}: ` +
      (Object.keys(scan.found).length === 0 ? 'no MNIST files' : `missing ${scan.missing.map((f) => f.name).join(', ')}`),
  );

  // 3. download
  if (options.download === false) {
    looked.push('download: disabled');
    throw notFoundError(looked, cacheDir);
  }
  const mirrors = options.mirrors ?? DEFAULT_MNIST_MIRRORS;
  // Verify what is already there before downloading the rest.
  await verifyScan(scan);
  const failures: string[] = [];
  for (const spec of scan.missing) {
    if (failures.length > 0) {
      // Every mirror already failed for an earlier file: do not wait out more timeouts.
      failures.push(`download ${spec.name}: not attempted (an earlier file failed on every mirror)`);
      continue;
    }
    const result = await downloadMnistFile(spec, cacheDir, {
      mirrors,
      timeoutMs: options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS,
      log,
    });
    if (!result.ok) failures.push(...result.attempts.map((a) => `download ${spec.name}: ${a}`));
  }
  if (failures.length > 0) {
    throw notFoundError([...looked, ...failures], cacheDir);
  }
  log(`MNIST: downloaded into ${cacheDir}`);
  return cacheDir;
}

function notFoundError(looked: string[], cacheDir: string): DataError {
  return new DataError(
    ['MNIST data not found. Looked in:', ...looked.map((l) => `  - ${l}`), fixAdvice(cacheDir)].join('\n'),
  );
}

export interface DownloadOptions {
  mirrors?: readonly string[];
  timeoutMs?: number;
  log?: Logger;
}

export interface DownloadResult {
  ok: boolean;
  /** Final path when ok. */
  file?: string;
  /** One line per failed attempt: "URL: reason". */
  attempts: string[];
}

/**
 * Downloads one canonical gzip file into `dir`, trying each mirror in turn.
 * The bytes go to a temp file in `dir` that is renamed to the final name only
 * after the MD5 matches; failed attempts leave nothing behind.
 */
export async function downloadMnistFile(spec: MnistFileSpec, dir: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const mirrors = options.mirrors ?? DEFAULT_MNIST_MIRRORS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
  const log = options.log ?? (() => undefined);
  await fsp.mkdir(dir, { recursive: true });
  const dest = path.join(dir, spec.name);
  const attempts: string[] = [];
  if (mirrors.length === 0) attempts.push('no mirrors configured');
  for (const mirror of mirrors) {
    const url = mirror.endsWith('/') ? mirror + spec.name : `${mirror}/${spec.name}`;
    const tmp = path.join(dir, `.${spec.name}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
    log(`MNIST: downloading ${url}`);
    try {
      const { md5, bytes } = await fetchToFile(url, tmp, timeoutMs);
      if (md5 !== spec.md5) {
        throw new Error(`MD5 mismatch: got ${md5} (${bytes} bytes), expected ${spec.md5} (${spec.bytes} bytes); rejected`);
      }
      await fsp.rename(tmp, dest);
      log(`MNIST: ${spec.name} OK (${bytes} bytes, md5 verified)`);
      return { ok: true, file: dest, attempts };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      attempts.push(`${url}: ${reason}`);
      log(`MNIST: ${url} failed: ${reason}`);
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
    }
  }
  return { ok: false, attempts };
}

/** GETs `url` (following up to 5 redirects) into `dest`, hashing on the fly. */
function fetchToFile(url: string, dest: string, timeoutMs: number, redirects = 5): Promise<{ md5: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new Error(`invalid URL`));
      return;
    }
    const mod = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
    if (!mod) {
      reject(new Error(`unsupported protocol ${parsed.protocol}`));
      return;
    }
    let settled = false;
    let out: ReturnType<typeof createWriteStream> | undefined;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      // Reject only once the temp file is closed, so the caller's cleanup really removes it.
      if (out && !out.closed) {
        out.once('close', () => reject(err));
        out.destroy();
      } else {
        reject(err);
      }
    };
    const req = mod.get(parsed, { timeout: timeoutMs, headers: { 'user-agent': 'tbkit', 'accept-encoding': 'identity' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects <= 0) {
          fail(new Error('too many redirects'));
          return;
        }
        const next = new URL(res.headers.location, parsed).toString();
        fetchToFile(next, dest, timeoutMs, redirects - 1).then(
          (r) => {
            settled = true;
            resolve(r);
          },
          fail,
        );
        return;
      }
      if (status !== 200) {
        res.resume();
        fail(new Error(`HTTP ${status}${res.statusMessage ? ' ' + res.statusMessage : ''}`));
        return;
      }
      const hash = createHash('md5');
      let bytes = 0;
      const file = createWriteStream(dest);
      out = file;
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
      });
      res.on('error', (err) => fail(err));
      res.on('aborted', () => fail(new Error('connection aborted')));
      file.on('error', (err) => {
        req.destroy();
        fail(new Error(`cannot write ${dest}: ${err.message}`));
      });
      file.on('close', () => {
        if (settled) return;
        if (!res.complete) {
          fail(new Error(`connection closed after ${bytes} bytes`));
          return;
        }
        settled = true;
        resolve({ md5: hash.digest('hex'), bytes });
      });
      res.pipe(file);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out (no data for ${timeoutMs} ms)`)));
    req.on('error', (err) => fail(err));
  });
}

/** Streaming MD5 of a file (for tools; verification in this module hashes in memory). */
export function md5File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    createReadStream(file)
      .on('data', (c) => hash.update(c))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export interface LoadMnistOptions {
  split: MnistSplit;
}

/**
 * Loads one split from a directory holding the MNIST files (as returned by
 * {@link locateMnist}): 60000 training or 10000 test images, 28×28, raw
 * 0–255 bytes, labels 0–9. The files are MD5-verified as they are read.
 */
export async function loadMnist(dir: string, options: LoadMnistOptions): Promise<ImageDataset> {
  const split = options.split;
  if (split !== 'train' && split !== 'test') throw new DataError(`loadMnist: split must be 'train' or 'test', got ${String(split)}`);
  const scan = await scanMnistDir(dir);
  const specs = MNIST_FILES.filter((f) => f.split === split);
  const missing = specs.filter((s) => !scan.found[s.key]);
  if (missing.length > 0) {
    throw new DataError(
      `MNIST directory ${dir} is missing ${missing.map((f) => `${f.name} (or ${f.rawName})`).join(', ')}`,
      dir,
    );
  }
  const imagesSpec = specs.find((s) => s.kind === 'images')!;
  const labelsSpec = specs.find((s) => s.kind === 'labels')!;
  const imagesFile = scan.found[imagesSpec.key]!;
  const labelsFile = scan.found[labelsSpec.key]!;
  const [imagesRaw, labelsRaw] = await Promise.all([
    verifyMnistFile(imagesFile, imagesSpec),
    verifyMnistFile(labelsFile, labelsSpec),
  ]);
  const images = parseIdxImages(imagesRaw, imagesFile);
  const labels = parseIdxLabels(labelsRaw, labelsFile, NUM_CLASSES);
  assertSameCount(images, labels, imagesFile, labelsFile);
  if (images.rows !== 28 || images.cols !== 28) {
    throw new DataError(`${imagesFile}: images are ${images.rows}x${images.cols}, expected 28x28`, imagesFile);
  }
  return { images: images.pixels, labels: labels.labels, n: images.n, height: 28, width: 28 };
}
