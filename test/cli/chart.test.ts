import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { renderChart, renderChartGrid, svgToPng, smoothTensorBoard } from '../../src/chart';
import { plotRuns } from '../../src/cli/compare';
import { golden, manifest } from './helpers';

interface Panel {
  title: string;
  plot: [number, number, number, number];
  xDomain: [number, number];
  yDomain: [number, number];
  logY: boolean;
  body: string;
}

function panels(svg: string): Panel[] {
  const out: Panel[] = [];
  const re = /<g class="panel" [^>]*data-title="([^"]*)" data-plot="([^"]*)" data-x-domain="([^"]*)" data-y-domain="([^"]*)" data-log-y="(\d)">([\s\S]*?)\n<\/g>\n<\/g>/g;
  for (let m; (m = re.exec(svg)); ) {
    const nums = (s: string) => s.split(' ').map(Number);
    out.push({ title: m[1], plot: nums(m[2]) as Panel['plot'], xDomain: nums(m[3]) as [number, number], yDomain: nums(m[4]) as [number, number], logY: m[5] === '1', body: m[6] });
  }
  return out;
}

function paths(p: Panel, cls = 'series'): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  const re = new RegExp(`<path class="${cls}" data-run="([^"]*)"[^>]* d="([^"]*)"`, 'g');
  for (let m; (m = re.exec(p.body)); ) {
    const pts: Array<[number, number]> = [];
    for (const c of m[2].matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)) pts.push([Number(c[1]), Number(c[2])]);
    assert.ok(!out.has(m[1]), `one ${cls} path per run in ${p.title}`);
    out.set(m[1], pts);
  }
  return out;
}

/** Pixel → data through the panel's declared plot rectangle and domains. */
function toData(p: Panel, [x, y]: [number, number]): [number, number] {
  const [px, py, pw, ph] = p.plot;
  const step = p.xDomain[0] + ((x - px) / pw) * (p.xDomain[1] - p.xDomain[0]);
  const t = p.yDomain[0] + ((py + ph - y) / ph) * (p.yDomain[1] - p.yDomain[0]);
  return [step, p.logY ? Math.pow(10, t) : t];
}

const EXPECTED_TAGS = ['accuracy', 'legacy/loss', 'loss', 'writer_api/value'];

test('golden chart: one path per run per chart, coordinates map back to the data, legend names the runs', () => {
  const plot = plotRuns(golden, { format: 'png', width: 1000, height: 700 });
  assert.deepEqual(plot.tags, EXPECTED_TAGS);
  assert.deepEqual(plot.runs, ['legacy_v1', 'run_a', 'run_b', 'writer_api']);
  const img = PNG.sync.read(plot.png!);
  assert.deepEqual([img.width, img.height], [1000, 700]);
  // not blank: some pixels are coloured (lines), most are white
  let coloured = 0;
  for (let i = 0; i < img.data.length; i += 4) if (Math.abs(img.data[i] - img.data[i + 2]) > 60) coloured++;
  assert.ok(coloured > 500, `coloured pixels: ${coloured}`);

  const ps = panels(plot.svg);
  assert.deepEqual(ps.map((p) => p.title), EXPECTED_TAGS);
  const runsWith = (tag: string) => Object.keys(manifest.runs).filter((r) => manifest.runs[r].scalars?.[tag]).sort();
  for (const p of ps) {
    const series = paths(p);
    assert.deepEqual([...series.keys()].sort(), runsWith(p.title), p.title);
    for (const [run, pts] of series) {
      const data = manifest.runs[run].scalars![p.title];
      assert.equal(pts.length, data.length, `${run} ${p.title}`);
      const yRange = p.yDomain[1] - p.yDomain[0];
      pts.forEach((pt, i) => {
        if (i > 0) assert.ok(pt[0] > pts[i - 1][0], 'x strictly increasing');
        const [step, value] = toData(p, pt);
        assert.ok(Math.abs(step - data[i][0]) < 0.02 * (p.xDomain[1] - p.xDomain[0]) + 1e-9, `${run} ${p.title} step ${step} vs ${data[i][0]}`);
        assert.ok(Math.abs(value - data[i][2]) < 0.01 * yRange, `${run} ${p.title} value ${value} vs ${data[i][2]}`);
      });
      // the domain covers the data
      assert.ok(p.xDomain[0] <= data[0][0] && p.xDomain[1] >= data[data.length - 1][0]);
    }
  }
  // legend: one entry per run, in run order, with the run's colour used by its paths
  const legend = [...plot.svg.matchAll(/<g class="legend-item" data-run="([^"]*)"><line [^>]*stroke="([^"]*)"[^>]*\/><text [^>]*>([^<]*)<\/text>/g)];
  assert.deepEqual(legend.map((m) => m[3]), ['legacy_v1', 'run_a', 'run_b', 'writer_api']);
  for (const [, run, color] of legend) {
    const strokes = [...plot.svg.matchAll(new RegExp(`<path class="series" data-run="${run}"[^>]* stroke="([^"]*)"`, 'g'))].map((m) => m[1]);
    assert.ok(strokes.length > 0 && strokes.every((s) => s === color), `${run} has one colour everywhere`);
  }
  assert.equal(new Set(legend.map((m) => m[2])).size, 4, 'distinct colours');
  // axes: labels and tick labels
  assert.equal((plot.svg.match(/class="x-label"[^>]*>step</g) ?? []).length, 4);
  assert.equal((plot.svg.match(/class="y-label"[^>]*>value</g) ?? []).length, 4);
  assert.ok((plot.svg.match(/<g class="y-ticks">/g) ?? []).length === 4);
});

test('smoothing: TensorBoard debiased EMA, raw series faded behind the smoothed one', () => {
  const w = 0.6;
  const got = smoothTensorBoard([1, 0.5, 0.25], w);
  // by hand: last = 0.4, 0.44, 0.364 ; debias 0.4, 0.64, 0.784
  assert.ok(Math.abs(got[0] - 1) < 1e-12);
  assert.ok(Math.abs(got[1] - 0.44 / 0.64) < 1e-12);
  assert.ok(Math.abs(got[2] - (0.44 * 0.6 + 0.4 * 0.25) / (1 - 0.6 ** 3)) < 1e-12);
  assert.deepEqual(smoothTensorBoard([2, 2, 2], 0.9), [2, 2, 2]);
  const withNaN = smoothTensorBoard([1, NaN, 3], 0.5);
  assert.ok(Number.isNaN(withNaN[1]));
  assert.ok(Math.abs(withNaN[2] - (0.5 * 0.5 + 0.5 * 3) / 0.75) < 1e-12);
  assert.deepEqual(smoothTensorBoard([3, 1, 2], 0), [3, 1, 2]);
  assert.throws(() => smoothTensorBoard([1], 1));

  const plot = plotRuns(golden, { tags: ['loss'], smoothing: w });
  const [p] = panels(plot.svg);
  const raw = paths(p, 'series-raw');
  const smooth = paths(p, 'series');
  assert.deepEqual([...raw.keys()], ['run_a', 'run_b']);
  assert.deepEqual([...smooth.keys()], ['run_a', 'run_b']);
  assert.match(p.body, /class="series-raw"[^>]*stroke-opacity="0.3"/);
  for (const run of ['run_a', 'run_b']) {
    const values = manifest.runs[run].scalars!.loss.map((x) => x[2]);
    const expected = smoothTensorBoard(values, w);
    const yRange = p.yDomain[1] - p.yDomain[0];
    smooth.get(run)!.forEach((pt, i) => assert.ok(Math.abs(toData(p, pt)[1] - expected[i]) < 0.01 * yRange));
    raw.get(run)!.forEach((pt, i) => assert.ok(Math.abs(toData(p, pt)[1] - values[i]) < 0.01 * yRange));
  }
});

test('log-y axis maps values through log10 and drops values <= 0', () => {
  const { svg } = renderChart(
    [{ name: 'a', points: [1, 10, 100, 0, 1000].map((v, i) => ({ step: i * 10, value: v })) }],
    { width: 500, height: 320, title: 'decades', logY: true },
  );
  const [p] = panels(svg);
  assert.ok(p.logY);
  const pts = paths(p).get('a')!;
  assert.equal(pts.length, 4);
  assert.equal((p.body.match(/[M]/g) ?? []).length >= 2, true, 'the value 0 breaks the line');
  const values = pts.map((pt) => toData(p, pt)[1]);
  [1, 10, 100, 1000].forEach((v, i) => assert.ok(Math.abs(Math.log10(values[i]) - Math.log10(v)) < 0.02, `${values[i]} vs ${v}`));
  for (const label of ['1', '10', '100', '1000']) assert.ok(svg.includes(`>${label}</text>`), `tick ${label}`);
});

test('renderChart: requested size, title, escaping, single points and empty series', () => {
  const { svg, width, height } = renderChart(
    [
      { name: 'run <1> & "x"', points: [{ step: 5, value: 0.5 }] },
      { name: 'empty', points: [] },
    ],
    { width: 640, height: 400, title: 'a < b' },
  );
  assert.deepEqual([width, height], [640, 400]);
  assert.match(svg, /^<svg [^>]*width="640" height="400"/);
  assert.ok(svg.includes('run &lt;1&gt; &amp; &quot;x&quot;'));
  assert.ok(svg.includes('>a &lt; b</text>'));
  assert.match(svg, /<circle class="marker"/);
  const png = PNG.sync.read(svgToPng(svg));
  assert.deepEqual([png.width, png.height], [640, 400]);
});

test('long series are decimated per pixel but keep the envelope', () => {
  const n = 100000;
  const points = Array.from({ length: n }, (_, i) => ({ step: i, value: i === 54321 ? 10 : Math.sin(i / 1000) }));
  const { svg } = renderChartGrid([{ title: 'big', series: [{ name: 'r', points }] }], { width: 600, height: 400 });
  const [p] = panels(svg);
  const pts = paths(p).get('r')!;
  assert.ok(pts.length < 4 * 600, `decimated to ${pts.length}`);
  const maxValue = Math.max(...pts.map((pt) => toData(p, pt)[1]));
  assert.ok(Math.abs(maxValue - 10) < 0.1, 'the spike survives decimation');
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i][0] >= pts[i - 1][0]);
});
