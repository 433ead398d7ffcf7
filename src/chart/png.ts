/**
 * SVG → PNG with resvg (prebuilt native module). Text is drawn with Lato, shipped by the
 * @expo-google-fonts/lato dependency, and never with system fonts: a chart then looks the same on
 * every machine, and a machine without fonts (a container, CI) still gets its titles and labels.
 * The SVG keeps naming DejaVu Sans & co. for SVG viewers; resvg maps its generic `sans-serif` to Lato.
 */
import * as path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const FONT_PACKAGE = '@expo-google-fonts/lato';
const FONT_FAMILY = 'Lato';
/** The two weights the charts use (titles are bold). */
const FONT_FILES = ['400Regular/Lato_400Regular.ttf', '700Bold/Lato_700Bold.ttf'];

let fontFiles: string[] | undefined;
let warned = false;

/** The bundled font's files, or [] (with one warning) when the package is missing. */
function chartFontFiles(): string[] {
  if (fontFiles) return fontFiles;
  try {
    const dir = path.dirname(require.resolve(`${FONT_PACKAGE}/package.json`));
    fontFiles = FONT_FILES.map((f) => path.join(dir, f));
  } catch {
    fontFiles = [];
    if (!warned) {
      warned = true;
      process.stderr.write(`tbkit: the chart font package ${FONT_PACKAGE} is not installed (npm install ${FONT_PACKAGE}); drawing text with the system fonts\n`);
    }
  }
  return fontFiles;
}

export function svgToPng(svg: string, opts: { background?: string } = {}): Buffer {
  const files = chartFontFiles();
  const resvg = new Resvg(svg, {
    background: opts.background ?? '#ffffff',
    fitTo: { mode: 'original' },
    font:
      files.length > 0
        ? { loadSystemFonts: false, fontFiles: files, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY }
        : { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return Buffer.from(resvg.render().asPng());
}
