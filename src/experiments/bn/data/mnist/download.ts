/**
 * Downloading one canonical MNIST gzip file from a list of mirrors. The bytes go to a temp file
 * renamed into place only after its MD5 matches, so an interrupted or corrupt download leaves
 * nothing a later run could mistake for the data.
 */
import { createHash, randomBytes } from 'crypto';
import { createWriteStream, promises as fsp } from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import type { Logger } from '../dataset';
import type { MnistFileSpec } from './files';

/** Well-known mirrors serving the canonical gzip files (file name appended). */
export const DEFAULT_MNIST_MIRRORS: readonly string[] = [
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
];

/** Default per-request inactivity timeout for downloads. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 30_000;

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
