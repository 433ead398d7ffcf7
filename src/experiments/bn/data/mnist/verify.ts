/**
 * MD5 verification of the MNIST files. Files are always verified: a damaged or substituted file
 * must be an error naming it, not a silent change of the experiment's numbers. A gzip file must
 * match the canonical gzip MD5 or, if some other tool re-compressed it, its decompressed content
 * must match the canonical uncompressed MD5; a gunzipped file must match the uncompressed MD5.
 */
import { createHash } from 'crypto';
import { DataError, readDataFile } from '../dataset';
import { maybeGunzip } from '../idx';
import { MNIST_FILES, type MnistDirScan, type MnistFileSpec } from './files';

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

/** Reads and verifies one file; returns the decompressed IDX bytes. */
export async function verifyMnistFile(file: string, spec: MnistFileSpec): Promise<Uint8Array> {
  return (await verify(await readDataFile(file), file, spec, true))!;
}

/** Reads and verifies one file without keeping (or, when canonical, computing) the decompressed bytes. */
async function checkMnistFile(file: string, spec: MnistFileSpec): Promise<void> {
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

/** Verifies every file a scan found; throws on the first bad one. */
export async function verifyScan(scan: MnistDirScan): Promise<void> {
  for (const spec of MNIST_FILES) {
    const file = scan.found[spec.key];
    if (file) await checkMnistFile(file, spec);
  }
}
