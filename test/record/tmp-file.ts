/** A temporary file holding some bytes, for the record tests (removed at exit). Not a test file itself. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let dir: string | undefined;
let n = 0;

export function tmpFile(bytes: Uint8Array): string {
  if (dir === undefined) {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-record-'));
    process.on('exit', () => fs.rmSync(d, { recursive: true, force: true }));
    dir = d;
  }
  const f = path.join(dir, `f${n++}.tfrecord`);
  fs.writeFileSync(f, bytes);
  return f;
}
