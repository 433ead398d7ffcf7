/** SVG → PNG with resvg (prebuilt native module), using the system fonts (DejaVu). */
import { Resvg } from '@resvg/resvg-js';

export function svgToPng(svg: string, opts: { background?: string } = {}): Buffer {
  const resvg = new Resvg(svg, {
    background: opts.background ?? '#ffffff',
    fitTo: { mode: 'original' },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return Buffer.from(resvg.render().asPng());
}
