/**
 * The session machinery alone: a trivial step (no model) with and without a
 * MonitoredTrainingSession carrying the experiment's logging hooks, over many steps in alternating
 * chunks. A 2 % difference on whole training steps is at the noise floor of a shared machine; this
 * measures what the session adds directly, for bench/overhead.ts to express as a share of a step.
 */
import * as tf from '@tensorflow/tfjs';
import { createSession, type OverheadVariantName } from './overhead-session';
import { median, nowMs, tempDir } from './util';

export interface MachineryResult {
  steps: number;
  /** µs per `session.run` of a trivial step (a scalar tensor, downloaded) minus the same without the session. */
  usPerStep: Record<OverheadVariantName, number>;
  plainUsPerStep: number;
}

/**
 * Measures the trivial step with and without a session: `tf.scalar(x)` → `await data()` → dispose,
 * `n` times each, alternating halves. Returns µs per step.
 */
export async function machinery(variants: readonly OverheadVariantName[], n: number): Promise<MachineryResult> {
  const plainStep = async (i: number): Promise<void> => {
    const c = tf.scalar(i * 1e-3);
    await c.data();
    c.dispose();
  };
  const usPerStep = {} as Record<OverheadVariantName, number>;
  const plainRuns: number[] = [];
  for (const v of variants) {
    const { dir, cleanup } = tempDir('machinery');
    const session = await createSession(v, dir);
    try {
      const sessRuns: number[] = [];
      const CHUNKS = 8;
      const half = Math.max(1, Math.floor(n / CHUNKS));
      // warm-up both paths
      for (let i = 0; i < Math.min(200, half); i++) {
        await plainStep(i);
        await session.run(() => ({ cost: tf.scalar(i * 1e-3) }));
      }
      for (let rep = 0; rep < CHUNKS; rep++) {
        const order = rep % 2 === 0 ? ['plain', 'session'] : ['session', 'plain'];
        for (const side of order) {
          const t0 = nowMs();
          if (side === 'plain') for (let i = 0; i < half; i++) await plainStep(i);
          else for (let i = 0; i < half; i++) await session.run(() => ({ cost: tf.scalar(i * 1e-3) }));
          const us = ((nowMs() - t0) * 1000) / half;
          (side === 'plain' ? plainRuns : sessRuns).push(us);
        }
      }
      usPerStep[v] = median(sessRuns) - median(plainRuns.slice(-CHUNKS));
    } finally {
      await session.close();
      cleanup();
    }
  }
  return { steps: n, usPerStep, plainUsPerStep: median(plainRuns) };
}
