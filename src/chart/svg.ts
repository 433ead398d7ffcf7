/** SVG text and number formatting shared by the chart's parts. */

export const FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';
const CHAR_W = 0.62; // average advance of DejaVu Sans in em, for layout estimates

/** A coordinate with at most two decimals (short, stable SVG). */
export function r(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Estimated width of `s` at font size `size` (no canvas to measure text with). */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 0x2e80 ? 1.0 : /[il.,:;'|!]/.test(ch) ? 0.3 : /[mwMW@]/.test(ch) ? 0.9 : CHAR_W;
  return w * size;
}

/** `s`, shortened with an ellipsis to fit `maxW`. */
export function truncate(s: string, maxW: number, size: number): string {
  if (textWidth(s, size) <= maxW) return s;
  let t = s;
  while (t.length > 1 && textWidth(t + '…', size) > maxW) t = t.slice(0, -1);
  return t + '…';
}

export function text(
  x: number,
  y: number,
  s: string,
  o: { size: number; anchor?: 'start' | 'middle' | 'end'; weight?: string; fill?: string; cls?: string; rotate?: number },
): string {
  const attrs = [
    o.cls ? `class="${o.cls}"` : '',
    `x="${r(x)}"`,
    `y="${r(y)}"`,
    `font-size="${o.size}"`,
    o.anchor && o.anchor !== 'start' ? `text-anchor="${o.anchor}"` : '',
    o.weight ? `font-weight="${o.weight}"` : '',
    `fill="${o.fill ?? '#222222'}"`,
    o.rotate ? `transform="rotate(${o.rotate} ${r(x)} ${r(y)})"` : '',
  ].filter(Boolean);
  return `<text ${attrs.join(' ')}>${esc(s)}</text>`;
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
