/** The shared legend: one colour per series name, the same in every panel, wrapped into rows. */
import type { ChartPanel } from './types';
import { esc, text, textWidth } from './svg';

/** Tableau-10-like palette (as in TensorBoard's run colours): distinguishable and print-friendly. */
export const PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
  '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#393b79', '#ad494a', '#637939', '#8c6d31', '#7b4173',
];

const ROW_HEIGHT = 18;

/**
 * Colour per series name: `names` first, then by first appearance across all panels; a series
 * that brings its own colour keeps it, the others take the palette in order.
 */
export function seriesColors(panels: readonly ChartPanel[], names: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  const explicit = new Map<string, string>();
  for (const p of panels) for (const s of p.series) if (s.color && !explicit.has(s.name)) explicit.set(s.name, s.color);
  for (const name of names) {
    if (!colors.has(name)) colors.set(name, explicit.get(name) ?? PALETTE[colors.size % PALETTE.length]);
  }
  for (const p of panels) {
    for (const s of p.series) {
      if (!colors.has(s.name)) colors.set(s.name, s.color ?? PALETTE[colors.size % PALETTE.length]);
    }
  }
  return colors;
}

/** The legend's SVG at (x, y), its rows at most `maxWidth` wide, and its height. */
export function drawLegend(colors: ReadonlyMap<string, string>, x: number, y: number, maxWidth: number): { parts: string[]; height: number } {
  const parts = [`<g class="legend">`];
  let ix = 0;
  let row = 0;
  for (const [name, c] of colors) {
    const w = 24 + textWidth(name, 12) + 18;
    if (ix > 0 && ix + w > maxWidth) {
      row++;
      ix = 0;
    }
    const lx = x + ix;
    const ly = y + row * ROW_HEIGHT + ROW_HEIGHT / 2;
    parts.push(
      `<g class="legend-item" data-run="${esc(name)}">` +
        `<line x1="${lx}" y1="${ly}" x2="${lx + 18}" y2="${ly}" stroke="${c}" stroke-width="3"/>` +
        text(lx + 24, ly + 4, name, { size: 12 }) +
        `</g>`,
    );
    ix += w;
  }
  parts.push(`</g>`);
  return { parts, height: colors.size ? (row + 1) * ROW_HEIGHT : 0 };
}
