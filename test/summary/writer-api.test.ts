/**
 * SummaryWriter's surface is its documented API: the shared machinery (checks, ordering, metadata
 * once, error reporting) lives in its private WriterContext and the files of the summary types.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SummaryWriter } from '../../src/summary';

test('SummaryWriter.prototype holds only the documented methods and getters', () => {
  const documented = [
    'constructor', 'logdir', 'path', 'strict', 'closed', 'droppedEvents', 'valueErrors', 'pendingValues',
    'scalar', 'scalars', 'histogram', 'histogramBuckets', 'histogramRaw', 'image', 'images', 'text', 'audio',
    'prCurve', 'customScalars', 'graph', 'embedding', 'hparams', 'endHparams', 'hparamsConfig',
    'writeEvent', 'addSessionStart', 'flush', 'close',
  ];
  assert.deepEqual(Object.getOwnPropertyNames(SummaryWriter.prototype).sort(), documented.sort());
});
