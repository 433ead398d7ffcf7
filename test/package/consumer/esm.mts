// Type-checked as an ES module (node16/nodenext): named imports of both entries.
import { SummaryWriter } from 'tbkit';
import { tensorBoard } from 'tbkit/tfjs';

export const writer: SummaryWriter = new SummaryWriter('logs/esm');
export const callback = tensorBoard('logs/esm', { updateFreq: 'batch' });
