// Type-checked against the packed tbkit: model.fit with tbkit/tfjs's callbacks.
import * as tf from '@tensorflow/tfjs';
import { MonitoredTrainingSession, StopAtStepHook } from 'tbkit';
import { sessionCallback, tensorBoard, TfjsCheckpointer, type TensorBoardCallbackArgs } from 'tbkit/tfjs';

export async function train(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<number> {
  const args: TensorBoardCallbackArgs = { updateFreq: 'batch', histogramFreq: 1, hparams: { lr: 0.1 } };
  const session = await MonitoredTrainingSession.create({
    checkpointDir: 'ckpt', checkpointer: new TfjsCheckpointer(model), hooks: [new StopAtStepHook({ lastStep: 8 })],
  });
  const cb = sessionCallback(session, { stepsPerEpoch: 4 });
  const history = await model.fit(xs, ys, { epochs: 2, batchSize: 8, initialEpoch: cb.initialEpoch, callbacks: [cb, tensorBoard('logs', args)] });
  return history.epoch.length;
}
