// A fuzzing campaign: `inputs` mutated datagrams through the decode target
// and a tenth as many mutated recordings through the whole pipeline, with
// fast-check (seeded, so a failure can be replayed with its seed and path).
import fc from 'fast-check';
import { loadCorpus } from './corpus.js';
import { mutatedDatagram, mutation } from './mutate.js';
import { decodeTarget, pipelineTarget, Verdict } from './targets.js';

export interface CampaignResult {
  decodeInputs: number;
  pipelineInputs: number;
  /** Inputs that ended in a clean DecodeError/FramingError (decode) or an error exit (pipeline). */
  cleanFailures: number;
  crashes: string[];
  /** Inputs that took longer than `slowMs` (a hang in the making). */
  slow: string[];
  seconds: number;
}

export function runCampaign(inputs: number, seed: number, slowMs = 1000, progress?: (done: number) => void): CampaignResult {
  const { datagrams, recordings } = loadCorpus();
  const res: CampaignResult = { decodeInputs: 0, pipelineInputs: 0, cleanFailures: 0, crashes: [], slow: [], seconds: 0 };
  const t0 = performance.now();
  const judge = (v: Verdict, what: () => string, ms: number) => {
    if (!v.ok) res.crashes.push(`${what()}\n${v.why}`);
    else if (v.clean) res.cleanFailures++;
    if (ms > slowMs) res.slow.push(`${ms.toFixed(0)} ms: ${what()}`);
  };
  const batch = 10_000;
  for (let done = 0; done < inputs; done += batch) {
    const n = Math.min(batch, inputs - done);
    fc.assert(fc.property(mutatedDatagram(datagrams), (d) => {
      const t = performance.now();
      const v = decodeTarget(d);
      res.decodeInputs++;
      judge(v, () => `decode ${d.toString('hex').slice(0, 400)}`, performance.now() - t);
      return true;
    }), { numRuns: n, seed: seed + done });
    const p = Math.ceil(n / 10);
    fc.assert(fc.property(fc.integer({ min: 0, max: recordings.length - 1 }), fc.nat(), fc.nat(), mutation, (r, exchange,
      datagram, mutate) => {
      const t = performance.now();
      const v = pipelineTarget({ rec: recordings[r], exchange, datagram, mutate });
      res.pipelineInputs++;
      judge(v, () => `pipeline ${recordings[r].file} ${recordings[r].argv.join(' ')} (exchange ${exchange}, datagram ` +
        `${datagram})`, performance.now() - t);
      return true;
    }), { numRuns: p, seed: seed + done + 1 });
    progress?.(done + n);
  }
  res.seconds = (performance.now() - t0) / 1000;
  return res;
}
