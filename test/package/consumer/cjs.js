// Run with CommonJS: writes a run, reads it back, and prints what tbkit/tfjs says without tfjs.
const { SummaryWriter, listRuns, readRun } = require('tbkit');

(async () => {
  const w = new SummaryWriter('logs-cjs/run');
  w.scalar('loss', 0.5, 1);
  w.scalar('loss', 0.25, 2);
  await w.close();
  const [run] = listRuns('logs-cjs');
  let tfjs = 'loaded';
  try {
    require('tbkit/tfjs');
  } catch (e) {
    tfjs = e.message;
  }
  console.log(JSON.stringify({ run: run.name, loss: readRun(run.files).scalars.get('loss').map((p) => [p.step, p.value]), tfjs }));
})();
