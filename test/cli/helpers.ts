/** Shared by the CLI tests (not a test file itself). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

export const repoRoot = path.resolve(__dirname, '..', '..');
import { GOLDEN_LOGDIR, GOLDEN_MANIFEST } from '../fixture-paths';

export const golden = GOLDEN_LOGDIR;
export const manifestPath = GOLDEN_MANIFEST;

export interface Manifest {
  files: Array<{ path: string; records: number; run: string; size: number }>;
  runs: Record<
    string,
    {
      scalars?: Record<string, Array<[number, number, number]>>;
      histograms?: Record<string, number[]>;
      images?: Record<string, number[]>;
      text?: Record<string, number[]>;
      hparams?: Record<string, string | number | boolean> | string[];
    }
  >;
}

export const manifest: Manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a child process: `node bin/tbkit.js …` (bin) or `node --import tsx src/cli/main.ts …`. */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; via?: 'bin' | 'tsx'; cwd?: string } = {}): CliResult {
  const argv = opts.via === 'bin' ? [path.join(repoRoot, 'bin', 'tbkit.js'), ...args] : ['--import', 'tsx', path.join(repoRoot, 'src', 'cli', 'main.ts'), ...args];
  const env = { ...process.env, ...opts.env };
  delete env.FORCE_COLOR;
  if (opts.env?.FORCE_COLOR !== undefined) env.FORCE_COLOR = opts.env.FORCE_COLOR;
  delete env.NODE_TEST_CONTEXT; // the child is not a test
  const r = spawnSync(process.execPath, argv, { cwd: opts.cwd ?? repoRoot, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tbkit-${prefix}-`));
}

/** float32 rounding, as stored in the event files. */
export const f32 = (v: number): number => Math.fround(v);

/** Minimal RFC 4180 parser (quoted fields with "" escapes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Byte offsets and data lengths of the records of a TFRecord file (framing only, no CRC check). */
export function recordOffsets(file: string): Array<{ offset: number; length: number }> {
  const buf = fs.readFileSync(file);
  const out: Array<{ offset: number; length: number }> = [];
  let pos = 0;
  while (pos + 12 <= buf.length) {
    const len = buf.readUInt32LE(pos) + buf.readUInt32LE(pos + 4) * 2 ** 32;
    out.push({ offset: pos, length: len });
    pos += 16 + len;
  }
  return out;
}

/** Manifest scalar rows as [run, tag, step, wall_time, value], in export order (run, tag by name; step). */
export function manifestRows(): Array<[string, string, number, number, number]> {
  const rows: Array<[string, string, number, number, number]> = [];
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  for (const run of Object.keys(manifest.runs).sort(byName)) {
    const sc = manifest.runs[run].scalars ?? {};
    for (const tag of Object.keys(sc).sort(byName)) for (const [s, w, v] of sc[tag]) rows.push([run, tag, s, w, v]);
  }
  return rows;
}
