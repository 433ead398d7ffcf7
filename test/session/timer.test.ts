import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SecondOrStepTimer, NeverTriggerTimer } from '../../src/hook-contract';

function fired(t: SecondOrStepTimer, from: number, to: number, onStep?: (s: number) => void): number[] {
  const out: number[] = [];
  for (let s = from; s <= to; s++) {
    onStep?.(s);
    if (t.shouldTriggerForStep(s)) {
      t.updateLastTriggeredStep(s);
      out.push(s);
    }
  }
  return out;
}

test('steps (TF1): first call triggers, then every N steps after the last trigger', () => {
  const t = new SecondOrStepTimer({ everySteps: 10 });
  assert.equal(t.lastTriggeredStep, undefined);
  assert.deepEqual(fired(t, 1, 35), [1, 11, 21, 31]);
  assert.equal(t.lastTriggeredStep, 31);
  assert.equal(t.shouldTriggerForStep(31), false, 'never twice for the same step');
});

test('updateLastTriggeredStep returns elapsed secs and steps (undefined on the first trigger)', () => {
  let now = 1000;
  const t = new SecondOrStepTimer({ everySteps: 5, now: () => now });
  assert.deepEqual(t.updateLastTriggeredStep(0), [undefined, undefined]);
  now = 3500;
  assert.deepEqual(t.updateLastTriggeredStep(5), [2.5, 5]);
});

test('seconds with a fake clock', () => {
  let now = 0;
  const t = new SecondOrStepTimer({ everySecs: 2, now: () => now });
  // one step per 0.5 s: triggers at the first step, then each time 2 s have passed since the last trigger
  const out = fired(t, 1, 12, (s) => (now = s * 500));
  assert.deepEqual(out, [1, 5, 9]);
  now = 100_000;
  assert.equal(t.shouldTriggerForStep(9), false, 'same step never triggers, whatever the clock');
  assert.equal(t.shouldTriggerForStep(10), true);
});

test('after resume (TF1 semantics): fires on the first step checked, then every N from there', () => {
  const fresh = new SecondOrStepTimer({ everySteps: 100 });
  assert.deepEqual(fired(fresh, 1051, 1300), [1051, 1151, 1251]);
  // A hook that seeds the timer with the restored step (CheckpointSaverHook, ValidationHook) fires N after it.
  const seeded = new SecondOrStepTimer({ everySteps: 100 });
  seeded.updateLastTriggeredStep(1050);
  assert.deepEqual(fired(seeded, 1051, 1300), [1150, 1250]);
});

test("mode 'modulo': fires on multiples of N, also after a resume (1100, not 1050/1051)", () => {
  const t = new SecondOrStepTimer({ everySteps: 100, mode: 'modulo' });
  assert.deepEqual(fired(t, 1050, 1320), [1100, 1200, 1300]);
  const jumpy = new SecondOrStepTimer({ everySteps: 10, mode: 'modulo' });
  jumpy.updateLastTriggeredStep(8);
  assert.equal(jumpy.shouldTriggerForStep(13), true, 'crossing a multiple counts even if it was skipped');
});

test('rejects both steps and secs, neither, and bad values with clear errors', () => {
  assert.throws(() => new SecondOrStepTimer({ everySteps: 1, everySecs: 1 }), /either everySteps \(1\) or everySecs \(1\), not both/);
  assert.throws(() => new SecondOrStepTimer({}), /one of everySteps or everySecs/);
  assert.throws(() => new SecondOrStepTimer({ everySteps: 0 }), /positive/);
  assert.throws(() => new SecondOrStepTimer({ everySteps: 1.5 }), /integer/);
  assert.throws(() => new SecondOrStepTimer({ everySecs: 1, mode: 'modulo' }), /modulo/);
});

test('NeverTriggerTimer never triggers', () => {
  const t = new NeverTriggerTimer();
  assert.equal(t.shouldTriggerForStep(0), false);
  t.updateLastTriggeredStep(3);
  assert.equal(t.lastTriggeredStep, 3);
});
