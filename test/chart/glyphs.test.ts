/**
 * Every character the chart code can draw is in the bundled Lato (regular and bold): a glyph the
 * font lacks is drawn as an empty box in the PNG (resvg has no fallback font: system fonts are
 * off). Checked on the chart code's non-ASCII characters outside comments, against the fonts'
 * cmap tables.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The code points of a TrueType font's Unicode cmap (format 4 subtable: the BMP). */
function cmapCodePoints(ttf: Buffer): Set<number> {
  const numTables = ttf.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) if (ttf.toString('latin1', 12 + 16 * i, 16 + 16 * i) === 'cmap') cmap = ttf.readUInt32BE(12 + 16 * i + 8);
  assert.ok(cmap >= 0, 'the font has a cmap table');
  const out = new Set<number>();
  for (let i = 0; i < ttf.readUInt16BE(cmap + 2); i++) {
    const sub = cmap + ttf.readUInt32BE(cmap + 4 + 8 * i + 4);
    if (ttf.readUInt16BE(sub) !== 4) continue;
    const segX2 = ttf.readUInt16BE(sub + 6);
    const ends = sub + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const offsets = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      const end = ttf.readUInt16BE(ends + s);
      const start = ttf.readUInt16BE(starts + s);
      const delta = ttf.readInt16BE(deltas + s);
      const ro = ttf.readUInt16BE(offsets + s);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        const glyph = ro === 0 ? (c + delta) & 0xffff : ttf.readUInt16BE(offsets + s + ro + 2 * (c - start));
        if (glyph !== 0) out.add(c);
      }
    }
  }
  return out;
}

const root = path.resolve(__dirname, '..', '..');
const chartSources = [
  ...fs.readdirSync(path.join(root, 'src', 'chart')).map((f) => path.join('src', 'chart', f)),
  ...fs.readdirSync(path.join(root, 'src', 'cli')).filter((f) => f.includes('chart')).map((f) => path.join('src', 'cli', f)),
  path.join('src', 'experiments', 'bn', 'sweep-chart.ts'),
  path.join('src', 'experiments', 'bn', 'chart.ts'),
].filter((f) => f.endsWith('.ts') && fs.existsSync(path.join(root, f)));

function codeChars(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

test('the chart code draws only characters the bundled Lato has', () => {
  const dir = path.dirname(require.resolve('@expo-google-fonts/lato/package.json'));
  const fonts = ['400Regular/Lato_400Regular.ttf', '700Bold/Lato_700Bold.ttf'].map((f) => cmapCodePoints(fs.readFileSync(path.join(dir, f))));
  for (const f of fonts) assert.ok(f.has(0x41) && f.has(0xb1) && f.has(0x2013), 'the cmap parse finds A, ± and –');
  assert.equal(fonts[0].has(0x25cb), false, 'Lato has no ○ (the check can fail)');
  assert.ok(chartSources.length >= 5, `chart sources found: ${chartSources.join(', ')}`);
  const missing: string[] = [];
  for (const file of chartSources) {
    for (const ch of new Set(codeChars(fs.readFileSync(path.join(root, file), 'utf8')))) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) continue;
      if (!fonts.every((f) => f.has(cp))) missing.push(`${file}: "${ch}" U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
    }
  }
  assert.deepEqual(missing, [], 'characters the bundled font cannot draw (they would be empty boxes in PNGs)');
});
