// Run as an ES module: named imports from tbkit (and, once tfjs is installed, from tbkit/tfjs).
import { SummaryWriter, readRun, listRuns } from 'tbkit';

const w = new SummaryWriter('logs-esm/run');
w.scalar('acc', 0.75, 3);
await w.close();
let tfjs;
try {
  const { tensorBoard } = await import('tbkit/tfjs');
  tfjs = typeof tensorBoard;
} catch (e) {
  tfjs = e.message;
}
const [run] = listRuns('logs-esm');
console.log(JSON.stringify({ acc: readRun(run.files).scalars.get('acc').map((p) => [p.step, p.value]), tfjs }));
