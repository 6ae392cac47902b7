// npm run fuzz [-- --inputs N --seed S]: the full campaign (default 1,000,000
// decode inputs plus 100,000 pipeline runs). The campaign runs in a worker
// thread; if it makes no progress for 60 s the input in hand is a hang.
// Prints the counts and exits 1 on any crash, hang or slow input.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

if (isMainThread) {
  const arg = (name: string, d: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : d;
  };
  const inputs = arg('inputs', 1_000_000);
  const seed = arg('seed', 20261126);
  const w = new Worker(fileURLToPath(import.meta.url), { workerData: { inputs, seed } });
  let last = Date.now();
  const watchdog = setInterval(() => {
    if (Date.now() - last > 60_000) {
      console.log(`fuzz: HANG: no progress for 60 s (seed ${seed})`);
      process.exit(1);
    }
  }, 5000);
  w.on('message', (m: { done?: number; result?: import('./campaign.js').CampaignResult }) => {
    last = Date.now();
    if (m.done !== undefined) process.stderr.write(`fuzz: ${m.done.toLocaleString('en')} / ${inputs.toLocaleString('en')}\n`);
    if (m.result) {
      clearInterval(watchdog);
      const r = m.result;
      for (const c of r.crashes.slice(0, 5)) console.log(`CRASH: ${c}`);
      for (const s of r.slow.slice(0, 5)) console.log(`SLOW: ${s}`);
      console.log(`fuzz: ${(r.decodeInputs + r.pipelineInputs).toLocaleString('en')} inputs ` +
        `(${r.decodeInputs.toLocaleString('en')} decode, ${r.pipelineInputs.toLocaleString('en')} whole commands), `
        + `${r.cleanFailures.toLocaleString('en')} clean errors, ${r.crashes.length} crashes, ${r.slow.length} slow (> 1 s), 0 ` +
          `hangs, ${r.seconds.toFixed(0)} s, seed ${seed}`);
      process.exit(r.crashes.length || r.slow.length ? 1 : 0);
    }
  });
  w.on('error', (e) => {
    console.log(`fuzz: the campaign died: ${e.stack}`);
    process.exit(1);
  });
} else {
  const { runCampaign } = await import('./campaign.js');
  const { inputs, seed } = workerData as { inputs: number; seed: number };
  const result = runCampaign(inputs, seed, 1000, (done) => parentPort!.postMessage({ done }));
  parentPort!.postMessage({ result });
}
