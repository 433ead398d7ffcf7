/**
 * Custom-scalars layout: tag `custom_scalars__config__`, a DT_STRING scalar holding a serialized
 * `tensorboard.Layout`, plugin `custom_scalars`. TensorBoard merges the layouts of all runs by
 * category title.
 *
 * Two input forms:
 * - tensorboardX style: `{ Category: { Chart: ['Multiline', ['loss/.*', 'acc']] | ['Margin', ['mid', 'lo', 'hi']] } }`
 * - explicit: `{ categories: [{ title, closed?, charts: [{ title, multiline: [regex…] } | { title, margin: [{ value, lower, upper }] }] }] }`
 */
import { DataClass, T } from '../proto';
import { stringTensorObject } from './metadata';
import { argError } from './validate';
import type { StepOptions, WriterContext } from './writer-context';

const CUSTOM_SCALARS_TAG = 'custom_scalars__config__';
const PLUGIN = 'custom_scalars';

interface MarginSeries { value: string; lower: string; upper: string }
interface LayoutChart { title: string; multiline?: string[]; margin?: MarginSeries[] }
interface LayoutCategory { title: string; closed?: boolean; charts: LayoutChart[] }
export type CustomScalarLayout =
  | { categories: LayoutCategory[] }
  | Record<string, Record<string, ['Multiline', string[]] | ['Margin', [string, string, string]]>>;

/** SummaryWriter.customScalars(). */
export function writeCustomScalars(ctx: WriterContext, layout: CustomScalarLayout, opts: StepOptions): void {
  const step = opts.step ?? 0;
  const wallTime = ctx.begin('customScalars', CUSTOM_SCALARS_TAG, step, opts);
  const bytes = encodeLayout('SummaryWriter.customScalars', layout);
  ctx.emitValue(CUSTOM_SCALARS_TAG, step, wallTime, ctx.spec(PLUGIN, DataClass.TENSOR, {}), bytes, (b) => ({ tensor: stringTensorObject([], [b]) }));
}

function layoutObject(method: string, layout: unknown): Record<string, unknown> {
  if (layout === null || typeof layout !== 'object' || Array.isArray(layout)) throw argError(method, 'layout', 'an object (categories → charts)', layout);
  const cats: LayoutCategory[] = [];
  const l = layout as Record<string, unknown>;
  if (Array.isArray(l.categories)) {
    cats.push(...(l.categories as LayoutCategory[]));
  } else {
    for (const [title, charts] of Object.entries(l)) {
      if (charts === null || typeof charts !== 'object') throw argError(method, `layout[${JSON.stringify(title)}]`, 'an object of chart title → [kind, tags]', charts);
      const cc: LayoutChart[] = [];
      for (const [ctitle, spec] of Object.entries(charts as Record<string, unknown>)) {
        const arg = `layout[${JSON.stringify(title)}][${JSON.stringify(ctitle)}]`;
        if (!Array.isArray(spec) || spec.length !== 2 || !Array.isArray(spec[1])) throw argError(method, arg, "['Multiline', [tag regexes]] or ['Margin', [value, lower, upper]]", spec);
        if (spec[0] === 'Multiline') cc.push({ title: ctitle, multiline: spec[1] as string[] });
        else if (spec[0] === 'Margin') {
          const s = spec[1] as string[];
          if (s.length !== 3) throw argError(method, arg, "['Margin', [value, lower, upper]] with 3 tags", spec);
          cc.push({ title: ctitle, margin: [{ value: s[0], lower: s[1], upper: s[2] }] });
        } else throw argError(method, `${arg}[0]`, "'Multiline' or 'Margin'", spec[0]);
      }
      cats.push({ title, charts: cc });
    }
  }
  if (cats.length === 0) throw argError(method, 'layout', 'at least one category', layout);
  return {
    category: cats.map((c, i) => {
      if (typeof c?.title !== 'string' || !Array.isArray(c.charts)) throw argError(method, `layout.categories[${i}]`, '{ title: string, charts: [...] }', c);
      const cat: Record<string, unknown> = { title: c.title };
      cat.chart = c.charts.map((ch, j) => {
        const arg = `layout.categories[${i}].charts[${j}]`;
        if (typeof ch?.title !== 'string') throw argError(method, `${arg}.title`, 'a string', ch?.title);
        if (ch.multiline) {
          ch.multiline.forEach((t, k) => { if (typeof t !== 'string') throw argError(method, `${arg}.multiline[${k}]`, 'a tag regex string', t); });
          return { title: ch.title, multiline: { tag: ch.multiline } };
        }
        if (ch.margin) return { title: ch.title, margin: { series: ch.margin.map((s) => ({ value: s.value, lower: s.lower, upper: s.upper })) } };
        throw argError(method, arg, 'a chart with multiline or margin', ch);
      });
      if (c.closed) cat.closed = true;
      return cat;
    }),
  };
}

function encodeLayout(method: string, layout: unknown): Uint8Array {
  const t = T.Layout;
  return t.encode(t.fromObject(layoutObject(method, layout))).finish();
}
