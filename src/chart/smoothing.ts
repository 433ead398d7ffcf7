/**
 * TensorBoard's scalar-dashboard smoothing: a debiased exponential moving average.
 *
 * Same algorithm as TensorBoard's line chart (`vz_line_chart2/line-chart.ts`, `resetSmoothedData`, and
 * the newer `classicSmoothing`): `last = last·w + (1−w)·v`, divided by the debias factor `1 − w^n`
 * (n = number of finite values accumulated so far), so the first points are not pulled towards 0.
 * Non-finite values are passed through unchanged and do not enter the average; a constant series is
 * returned unchanged (TensorBoard special-cases it to avoid float drift).
 */
export function smoothTensorBoard(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1): ${weight}`);
  const out = new Array<number>(values.length);
  if (values.length === 0) return out;
  const first = values[0];
  const isConstant = values.every((v) => v === first || (Number.isNaN(v) && Number.isNaN(first)));
  let last = 0;
  let numAccum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isConstant || !Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    numAccum++;
    out[i] = weight === 0 ? v : last / (1 - Math.pow(weight, numAccum));
  }
  return out;
}
