/**
 * Charts have text on every machine: svgToPng draws with the bundled Lato and no system font, so
 * the PNG has its title and labels where resvg without any font draws none, and the bytes do not
 * depend on the fonts a machine has.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { renderChartGrid, svgToPng } from '../../src/chart';

const series = [
  { name: 'bn-lr0.01', points: [{ step: 0, value: 1 }, { step: 100, value: 0.5 }, { step: 200, value: 0.2 }] },
  { name: 'nobn-lr0.01', points: [{ step: 0, value: 2 }, { step: 200, value: 1.5 }] },
];
const { svg } = renderChartGrid([{ title: 'validation/accuracy', series }], { title: 'BN experiment', width: 600, height: 400 });

/** Pixels darker than mid-grey in rows [y0, y1): text is black, the series colours and grid are lighter or elsewhere. */
function darkPixels(png: Buffer, y0: number, y1: number): number {
  const img = PNG.sync.read(png);
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      if (img.data[i] < 100 && img.data[i + 1] < 100 && img.data[i + 2] < 100) n++;
    }
  }
  return n;
}

test('the PNG has its title drawn with the bundled font; resvg without fonts draws no text', () => {
  const titleRows: [number, number] = [0, 34]; // the bold title line above the legend
  const withFont = darkPixels(svgToPng(svg), ...titleRows);
  const noFont = new Resvg(svg, { background: '#ffffff', fitTo: { mode: 'original' }, font: { loadSystemFonts: false } }).render().asPng();
  assert.equal(darkPixels(Buffer.from(noFont), ...titleRows), 0);
  // "BN experiment" in 16 px bold covers a few hundred dark pixels.
  assert.ok(withFont > 200, `only ${withFont} dark pixels in the title rows`);
  // Axis labels and ticks too: the whole image has far more text than the title alone.
  assert.ok(darkPixels(svgToPng(svg), 34, 400) > withFont);
});

// Where the machine has DejaVu Sans (the SVG's first font-family), a render that loaded the system
// fonts would draw with it: the bytes would differ from a render that knows only Lato.
test('the PNG does not depend on the system fonts: the same bytes as a render with only the bundled font files', () => {
  const dir = path.dirname(require.resolve('@expo-google-fonts/lato/package.json'));
  const files = ['400Regular/Lato_400Regular.ttf', '700Bold/Lato_700Bold.ttf'].map((f) => path.join(dir, f));
  const onlyBundled = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'original' },
    font: { loadSystemFonts: false, fontFiles: files, defaultFontFamily: 'Lato', sansSerifFamily: 'Lato' },
  }).render().asPng();
  assert.ok(Buffer.from(onlyBundled).equals(svgToPng(svg)));
});
