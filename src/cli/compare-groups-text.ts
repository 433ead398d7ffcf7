/** Grouped `tbkit compare` as a table: one row per group and tag, then notes on what the numbers are. */
import { isBetter, type TagAggregate } from '../aggregate';
import { byName } from './common';
import type { GroupedCompare } from './compare-groups';
import type { CompareOptions } from './compare-rows';
import { colorizer, detectStyle, intervalText, meanStd, num, table } from './format';

/** A 95 % interval cell; a group of one has none, and says so. */
function ciCell(s: TagAggregate['last']): string {
  if (s.interval) return intervalText(s.interval.lo, s.interval.hi);
  return s.n === 0 ? '' : `none (n=${s.n})`;
}

export function formatGroupedCompare(g: GroupedCompare, style = detectStyle(process.stdout), opts: CompareOptions = {}): string {
  const c = colorizer(style.color);
  const keyCols = g.varying.length > 0 ? g.varying : [];
  const tags = [...new Set(g.groups.flatMap((r) => Object.keys(r.metrics)))].sort(byName);
  const head = [...(keyCols.length ? keyCols : ['group']), 'tag', 'n', 'last (mean ± std)', '95 % CI', 'best (mean ± std)', '95 % CI', 'best mean @step'];
  const body: string[][] = [];
  // Per tag, the row whose mean last value is best (green when colour is on).
  const bestRow = new Map<string, { row: number; value: number }>();
  const partial: string[] = [];
  const unshared: string[] = [];
  for (const group of g.groups) {
    for (const tag of tags) {
      const a = group.metrics[tag];
      if (!a) continue;
      if (isBetter(a.last.mean, bestRow.get(tag)?.value ?? NaN, a.mode)) bestRow.set(tag, { row: body.length, value: a.last.mean });
      body.push([
        ...(keyCols.length ? keyCols.map((k) => (group.key[k] === null ? '(unset)' : String(group.key[k]))) : [group.label]),
        tag,
        `${a.runs.length}${a.last.nonFinite ? ` (${a.last.nonFinite} NaN/Inf)` : ''}`,
        meanStd(a.last.mean, a.last.std),
        ciCell(a.last),
        meanStd(a.best.mean, a.best.std),
        ciCell(a.best),
        a.bestMean ? `${num(a.bestMean.value)} @${a.bestMean.step}` : '',
      ]);
      if (a.aligned.partialSteps.length) partial.push(`${group.label} ${tag}: ${a.aligned.partialSteps.length} (from step ${a.aligned.partialSteps[0]})`);
      if (a.lastStep === undefined && a.runs.length > 1) unshared.push(`${group.label} ${tag}`);
    }
  }
  const lastCol = head.indexOf('last (mean ± std)');
  if (style.color) for (const { row } of bestRow.values()) body[row][lastCol] = c.green(body[row][lastCol]);
  const align = head.map((_, i) => (i <= (keyCols.length || 1) ? 'left' : 'right') as 'left' | 'right');
  const out = table(head, body, style, { align }) + '\n';
  const lines = [
    `grouped by ${g.groupedBy}: mean ± sample std over each group's runs; 95 % CI of the mean: Student t, n − 1 degrees of freedom (none for a group of one)`,
    `last: each run's value at the last step every run of its group logged; best: its best over the whole run (min for loss/cost/error, max for acc)`,
  ];
  if (body.some((r) => r[head.indexOf('n')].includes('NaN'))) lines.push('NaN/Inf values (diverged runs) are left out of the statistics and counted beside n');
  if (partial.length) lines.push(`not averaged: steps logged by only some runs of a group: ${partial.join('; ')}`);
  if (unshared.length) lines.push(`no step logged by every run, "last" is each run's own last value: ${unshared.join('; ')}`);
  if (g.ungrouped.length) lines.push(`not grouped: ${g.ungrouped.map((u) => `${u.run} (${u.reason})`).join(', ')}`);
  if (opts.metric) lines.push(`groups sorted by the mean ${opts.by === 'best' ? 'best' : 'last'} ${opts.metric}, best first`);
  return out + lines.map((l) => c.gray(l)).join('\n') + '\n';
}
