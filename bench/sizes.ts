/**
 * Every size the bench runs at, full and --quick, in one place: the test overrides them to run the
 * whole bench tiny, and BENCHMARKS.md's method section describes them.
 */
import type { LoadingSize } from './peers/loading';
import type { ScaleSize } from './scale';

export interface LoggingSizes {
  writerScalars: number;
  writerRepeats: number;
  memoryScalars: number;
  rgbImages: number;
  grayImages: number;
  imageRepeats: number;
  histogramValues: number;
  histogramRepeats: number;
  readerScalars: number;
  readerRepeats: number;
  exportPoints: number;
}

export function loggingSizes(quick: boolean): LoggingSizes {
  return quick
    ? {
        writerScalars: 500_000, writerRepeats: 3, memoryScalars: 1_000_000,
        rgbImages: 10, grayImages: 500, imageRepeats: 3,
        histogramValues: 1_000_000, histogramRepeats: 3,
        readerScalars: 500_000, readerRepeats: 3, exportPoints: 100_000,
      }
    : {
        writerScalars: 2_000_000, writerRepeats: 7, memoryScalars: 10_000_000,
        rgbImages: 40, grayImages: 2000, imageRepeats: 5,
        histogramValues: 1_000_000, histogramRepeats: 10,
        readerScalars: 2_000_000, readerRepeats: 7, exportPoints: 1_000_000,
      };
}

/** The writers on the same stream: tensorboardX needs seconds per 10 k scalars. */
export function writerPeerSizes(quick: boolean): { scalars: number; rounds: number } {
  return quick ? { scalars: 20_000, rounds: 3 } : { scalars: 200_000, rounds: 3 };
}

/**
 * The logdirs loaded by TensorBoard and tbkit. The Python loader takes minutes on the main size,
 * so it runs once per size, and not at all on the large one.
 */
export function loadingSizes(quick: boolean): LoadingSize[] {
  if (quick) return [{ name: 'small', runs: 5, pointsPerRun: 11_000, rounds: 2, pythonLoader: true }];
  return [
    { name: 'small', runs: 20, pointsPerRun: 11_000, rounds: 3, pythonLoader: true },
    { name: 'main', runs: 20, pointsPerRun: 110_000, rounds: 3, pythonLoader: true, judged: true },
    { name: 'large', runs: 100, pointsPerRun: 110_000, rounds: 1, pythonLoader: 'not on the large size: the main size times it, and here it would take longer than the rest of the bench' },
  ];
}

/** The per-run series (1 run each) and the many-runs series (10 k points each), without repeats. */
export function scaleSizes(quick: boolean): ScaleSize[] {
  const perRun = quick ? [10_000, 100_000, 1_000_000] : [10_000, 100_000, 1_000_000, 10_000_000];
  const runs = quick ? [10, 100] : [10, 100, 1000];
  return [...perRun.map((p) => ({ runs: 1, pointsPerRun: p })), ...runs.map((r) => ({ runs: r, pointsPerRun: 10_000 }))];
}
