/**
 * `--record FILE`: BENCHMARKS.md written from one bench run, so that every number in it comes
 * from that run: the method (bench/benchmarks-method.md, which says how each row measures and
 * holds no numbers), then the run's machine and command, then its output verbatim.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchReport } from './report';

export const METHOD = path.join(__dirname, 'benchmarks-method.md');
export const RECORD_COMMAND = 'npm run bench -- --record BENCHMARKS.md';

export function renderRecord(r: BenchReport, lines: readonly string[], method = fs.readFileSync(METHOD, 'utf8')): string {
  const m = r.machine;
  const end = r.loadAvgEnd ? ` and ${r.loadAvgEnd.join(' ')} at the end` : '';
  return [
    method.trimEnd(),
    '',
    '## Recorded run',
    '',
    `Written by \`${r.command}\` from this one run, ${m.date}, ${m.cpus} cores (${m.cpuModel}), ${m.totalMemMB} MB RAM, load average ${m.loadAvg.join(' ')} at the start${end}.`,
    `The output below is verbatim; to record again, on a quiet machine: \`${RECORD_COMMAND}\`.`,
    '',
    '```text',
    ...lines.map((l) => l.trimEnd()),
    '```',
    '',
  ].join('\n');
}

export function writeRecord(file: string, r: BenchReport, lines: readonly string[]): void {
  fs.writeFileSync(file, renderRecord(r, lines));
}
