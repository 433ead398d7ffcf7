/** `tbkit inspect` for people: the report of inspect.ts as headings, tables and one line per problem. */
import { byName, type RecordProblem } from './common';
import { bytes, colorizer, hparamText, isoTime, num, table, type OutputStyle } from './format';
import type { InspectReport, InspectTag } from './inspect-report';

function stepsText(t: InspectTag): string {
  if (t.firstStep === undefined) return '';
  const uniq = t.steps ? [...new Set(t.steps)].sort((a, b) => a - b) : [];
  if (t.steps && uniq.length <= 4) return uniq.join(', ');
  return `${t.firstStep}..${t.lastStep}`;
}

/** Groups per-step records into "tag: steps a..b (n)" lines. */
function summarizeSteps(items: Array<{ tag: string; step: number }>): Array<{ tag: string; text: string; count: number }> {
  const by = new Map<string, number[]>();
  for (const it of items) {
    let a = by.get(it.tag);
    if (!a) by.set(it.tag, (a = []));
    a.push(it.step);
  }
  return [...by.entries()].sort(([a], [b]) => byName(a, b)).map(([tag, steps]) => {
    const u = [...new Set(steps)].sort((x, y) => x - y);
    const text = u.length <= 6 ? u.join(', ') : `${u[0]}..${u[u.length - 1]} (${u.length} distinct)`;
    return { tag, text, count: steps.length };
  });
}

export function formatInspect(report: InspectReport, style: OutputStyle): string {
  const c = colorizer(style.color);
  const lines: string[] = [];
  const nFiles = report.runs.reduce((s, r) => s + r.files.length, 0);
  const nRecords = report.runs.reduce((s, r) => s + r.records, 0);
  const nBytes = report.runs.reduce((s, r) => s + r.bytes, 0);
  lines.push(
    `${c.bold(report.target)}: ${report.runs.length} run${report.runs.length === 1 ? '' : 's'}, ` +
      `${nFiles} event file${nFiles === 1 ? '' : 's'}, ${nRecords} records, ${bytes(nBytes)}`,
  );
  for (const run of report.runs) {
    lines.push('');
    lines.push(`${c.cyan(c.bold(`Run ${run.name}`))}  ${c.gray(`(${run.files.length} file${run.files.length === 1 ? '' : 's'}, ${run.records} records, ${bytes(run.bytes)})`)}`);
    lines.push(table(['file', 'records', 'bytes'], run.files.map((f) => [f.path, String(f.records), String(f.bytes)]), style, { indent: 2, align: ['left', 'right', 'right'] }));
    if (run.hparams) {
      const h = run.hparams;
      const kv = Object.keys(h.hparams).sort(byName).map((k) => `${k}=${hparamText(h.hparams[k])}`).join('  ');
      const extra = [
        h.groupName ? `group ${h.groupName}` : '',
        h.status ? `status ${h.status}` : '',
        h.startTimeSecs !== undefined ? `start ${isoTime(h.startTimeSecs)}` : '',
        h.endTimeSecs !== undefined ? `end ${isoTime(h.endTimeSecs)}` : '',
      ].filter(Boolean).join(', ');
      lines.push(`  ${c.bold('hparams')}: ${kv || '(none)'}${extra ? c.gray(`  (${extra})`) : ''}`);
    }
    if (run.hasExperiment) lines.push(`  ${c.bold('hparams experiment config')} (_hparams_/experiment)`);
    const rows: string[][] = [];
    for (const [plugin, tags] of Object.entries(run.plugins)) {
      for (const t of tags) {
        rows.push([
          plugin,
          t.tag,
          String(t.count),
          stepsText(t),
          t.first ? `${num(t.first.value)} @${t.first.step}` : '',
          t.last ? `${num(t.last.value)} @${t.last.step}` : '',
        ]);
      }
    }
    if (rows.length) lines.push(table(['plugin', 'tag', 'count', 'steps', 'first', 'last'], rows, style, { indent: 2, align: ['left', 'left', 'right', 'left', 'right', 'right'] }));
    else lines.push(`  ${c.gray('(no tags)')}`);
    for (const p of summarizeSteps(run.purged.filter((x) => x.reason === 'session-start'))) {
      lines.push(`  ${c.yellow('purged')} ${p.count} point${p.count === 1 ? '' : 's'} of ${p.tag} at steps ${p.text}: superseded after a restart (SessionLog.START)`);
    }
    for (const p of summarizeSteps(run.purged.filter((x) => x.reason === 'out-of-order'))) {
      lines.push(`  ${c.yellow('purged')} ${p.count} point${p.count === 1 ? '' : 's'} of ${p.tag} at steps ${p.text}: superseded by an out-of-order (earlier) step`);
    }
    for (const p of summarizeSteps(run.duplicates)) {
      lines.push(`  ${c.yellow('duplicate')} ${p.tag} at steps ${p.text}: ${p.count} value${p.count === 1 ? '' : 's'} replaced by a later value at the same step`);
    }
  }
  const problems = report.runs.flatMap((r) => r.problems);
  lines.push('');
  if (problems.length === 0) {
    lines.push(c.green('No problems found: every record has valid CRCs and decodes as an Event.'));
  } else {
    lines.push(c.bold(`Problems (${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}):`));
    for (const p of problems) {
      const tag = p.severity === 'error' ? c.red('error') : c.yellow('warning');
      lines.push(`  ${tag} ${p.kind} in ${p.file} at byte offset ${p.offset}: ${stripPrefix(p.message, p)}`);
      if (p.kind === 'truncated') {
        lines.push(c.gray('    (a truncated last record is what a file being written looks like; TensorBoard waits for the rest and shows the records before it)'));
      }
    }
  }
  return lines.join('\n') + '\n';
}

/** Problem messages read "<file>: <what> at byte offset N"; the line already shows the file and offset. */
function stripPrefix(message: string, p: RecordProblem): string {
  let m = message;
  const i = m.indexOf(': ');
  if (i > 0 && m.slice(0, i).includes('tfevents')) m = m.slice(i + 2);
  const suffix = ` at byte offset ${p.offset}`;
  if (m.endsWith(suffix)) m = m.slice(0, -suffix.length);
  return m;
}
