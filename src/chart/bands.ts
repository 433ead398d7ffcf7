/**
 * Panel layers for groups of runs (`ChartPanel.layers`): a shaded band around a group's mean line
 * with the group's single runs drawn faintly and open circles on the points a chart must not let
 * pass for averaged ones; and interval bars (a mean with its confidence interval at each x).
 * Both are drawn under the panel's series, in the group's colour, so the mean line stays on top.
 */
import { pathData } from './series';
import { esc, r } from './svg';
import type { ChartPoint, PanelLayer, PanelScales } from './types';

export interface BandSpec {
  /** The group's name (the legend name of its mean line), for the `data-run` attributes. */
  name: string;
  color: string;
  /** The band's lower and upper edge, point for point at the same steps, in step order. */
  lower: readonly ChartPoint[];
  upper: readonly ChartPoint[];
  /** The group's single runs, drawn faintly. */
  runs?: ReadonlyArray<readonly ChartPoint[]>;
  /** Points marked with an open circle (e.g. steps that not every run of the group reached). */
  marks?: readonly ChartPoint[];
}

/** A band (one filled polygon per stretch where both edges can be drawn), faint runs and marks. */
export function bandLayer(spec: BandSpec): PanelLayer {
  const runs = spec.runs ?? [];
  const marks = spec.marks ?? [];
  return {
    extent: [...spec.lower, ...spec.upper, ...runs.flat(), ...marks],
    draw: (scales) => {
      const run = esc(spec.name);
      const out: string[] = [];
      for (const d of bandPolygons(spec.lower, spec.upper, scales)) {
        out.push(`<path class="band" data-run="${run}" fill="${spec.color}" fill-opacity="0.18" stroke="none" d="${d}"/>`);
      }
      for (const pts of runs) {
        out.push(`<path class="series-faint" data-run="${run}" fill="none" stroke="${spec.color}" stroke-opacity="0.35" stroke-width="1" d="${pathData(pts, scales)}"/>`);
      }
      for (const q of marks) {
        if (!scales.usable(q.value)) continue;
        out.push(`<circle class="partial-step" data-run="${run}" cx="${r(scales.sx(q.step))}" cy="${r(scales.sy(q.value))}" r="3" fill="#ffffff" stroke="${spec.color}" stroke-width="1.5"/>`);
      }
      return out;
    },
  };
}

/** Closed paths along `lower` and back along `upper`, broken where either edge cannot be drawn. */
function bandPolygons(lower: readonly ChartPoint[], upper: readonly ChartPoint[], { sx, sy, usable }: PanelScales): string[] {
  const out: string[] = [];
  let stretch: number[] = [];
  const close = (): void => {
    if (stretch.length > 0) {
      const there = stretch.map((i) => `${r(sx(lower[i].step))},${r(sy(lower[i].value))}`);
      const back = stretch.reverse().map((i) => `${r(sx(upper[i].step))},${r(sy(upper[i].value))}`);
      out.push(`M${[...there, ...back].join('L')}Z`);
    }
    stretch = [];
  };
  lower.forEach((q, i) => {
    if (usable(q.value) && usable(upper[i].value)) stretch.push(i);
    else close();
  });
  close();
  return out;
}

export interface IntervalPoint {
  /** Position on the x axis (a step, or e.g. a learning rate on a log axis). */
  step: number;
  value: number;
  /** The interval around `value`; a point without one gets no bar. */
  lo?: number;
  hi?: number;
}

/** A dot at each point and a vertical bar with caps from `lo` to `hi` where the point has an interval. */
export function intervalLayer(spec: { name: string; color: string; points: readonly IntervalPoint[] }): PanelLayer {
  const ends = spec.points.flatMap((p) => (p.lo !== undefined && p.hi !== undefined ? [{ step: p.step, value: p.lo }, { step: p.step, value: p.hi }] : []));
  return {
    extent: [...spec.points, ...ends],
    draw: ({ sx, sy, usable }) => {
      const run = esc(spec.name);
      const out: string[] = [];
      for (const p of spec.points) {
        const x = r(sx(p.step));
        if (p.lo !== undefined && p.hi !== undefined && usable(p.lo) && usable(p.hi)) {
          const [y0, y1] = [r(sy(p.lo)), r(sy(p.hi))];
          const [c0, c1] = [r(sx(p.step) - 4), r(sx(p.step) + 4)];
          out.push(`<path class="interval" data-run="${run}" stroke="${spec.color}" stroke-width="1.5" fill="none" d="M${x},${y0}L${x},${y1}M${c0},${y0}L${c1},${y0}M${c0},${y1}L${c1},${y1}"/>`);
        }
        if (usable(p.value)) out.push(`<circle class="point" data-run="${run}" cx="${x}" cy="${r(sy(p.value))}" r="3.5" fill="${spec.color}"/>`);
      }
      return out;
    },
  };
}
