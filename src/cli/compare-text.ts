/** `tbkit compare` as a table: one row per run, its hparams, then "last" and "best@step" per tag. */
import { isBetter } from '../aggregate';
import { byName } from './common';
import type { BestMode, CompareOptions, CompareRow } from './compare-rows';
import { colorizer, detectStyle, hparamText, num, table } from './format';

/** The rows as a table; with colour, each tag's best value across runs is green. */
export function formatCompare(rows: CompareRow[], style = detectStyle(process.stdout), opts: CompareOptions = {}): string {
  const c = colorizer(style.color);
  const hpNames = [...new Set(rows.flatMap((r) => Object.keys(r.hparams)))].sort(byName);
  const tags = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort(byName);
  const modeOf = new Map<string, BestMode>();
  for (const r of rows) for (const m of Object.values(r.metrics)) modeOf.set(m.tag, m.mode);
  const head = ['run', ...hpNames, ...tags.flatMap((t) => [`${t} last`, `${t} ${modeOf.get(t)}@step`])];
  const body = rows.map((r) => [
    r.run,
    ...hpNames.map((h) => (h in r.hparams ? hparamText(r.hparams[h]) : '')),
    ...tags.flatMap((t) => {
      const m = r.metrics[t];
      return m ? [num(m.last), `${num(m.best)} @${m.bestStep}`] : ['', ''];
    }),
  ]);
  // Highlight each tag's best "best" across runs.
  if (style.color) {
    tags.forEach((t, ti) => {
      const col = 1 + hpNames.length + ti * 2 + 1;
      let bestRow = -1;
      rows.forEach((r, ri) => {
        const m = r.metrics[t];
        if (!m) return;
        if (isBetter(m.best, bestRow >= 0 ? rows[bestRow].metrics[t]!.best : NaN, m.mode)) bestRow = ri;
      });
      if (bestRow >= 0) body[bestRow][col] = c.green(body[bestRow][col]);
    });
  }
  const align = head.map((_, i) => (i <= hpNames.length ? 'left' : 'right') as 'left' | 'right');
  let out = table(head, body, style, { align }) + '\n';
  if (opts.metric) out += c.gray(`sorted by ${opts.by === 'best' ? 'best' : 'last'} ${opts.metric} (${modeOf.get(opts.metric) === 'max' ? 'highest' : 'lowest'} first)`) + '\n';
  return out;
}
