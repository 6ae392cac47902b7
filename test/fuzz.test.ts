// The fuzzer's short budget for CI (npm run fuzz runs the full one: README),
// and checks that its judge can tell a crash from a clean error.
import test from 'ava';
import { runCampaign } from './fuzz/campaign.js';
import { loadCorpus } from './fuzz/corpus.js';
import { decodeTarget, pipelineTarget } from './fuzz/targets.js';
import { MAX_NEST_DEPTH } from '../src/protocol/codec.js';

test('20,000 mutated kernel datagrams and 2,000 mutated whole commands: no crash, no slow input', (t) => {
  t.timeout(300_000);
  const r = runCampaign(20_000, 1126);
  t.is(r.decodeInputs, 20_000);
  t.is(r.pipelineInputs, 2_000);
  t.deepEqual(r.crashes, []);
  t.deepEqual(r.slow, []);
  // The mutations reach the error paths: thousands end in a clean DecodeError/FramingError or an error exit.
  t.true(r.cleanFailures > 2_000, `${r.cleanFailures} clean errors`);
});

test('the judge is not a rubber stamp: an exception inside a command is a crash, a kernel error answer is not', (t) => {
  const { recordings } = loadCorpus();
  const rec = recordings.find((x) => x.argv.join(' ') === 'res show qp')!;
  const crash = pipelineTarget({ rec, exchange: 0, datagram: 0, mutate: () => { throw new TypeError('injected'); } });
  t.false(crash.ok);
  t.regex(crash.ok ? '' : crash.why, /internal error: TypeError: injected/);
  // NLMSG_ERROR -EPERM instead of the first answer: an error exit with its message, clean.
  const eperm = pipelineTarget({ rec, exchange: 0, datagram: 0, mutate: (d) => {
    const b = Buffer.alloc(36);
    d.copy(b, 0, 0, 16);
    b.writeUInt32LE(36, 0);
    b.writeUInt16LE(2, 4);
    b.writeInt32LE(-1, 16);
    return b;
  } });
  t.deepEqual(eperm, { ok: true, clean: true });
});

test(`nests deeper than ${MAX_NEST_DEPTH} levels are a DecodeError, not a stack overflow`, (t) => {
  // RES_QP (list) nested in itself 5,000 times inside a GET reply.
  let inner = Buffer.alloc(0);
  for (let i = 0; i < 5000; i++) {
    const h = Buffer.alloc(4);
    h.writeUInt16LE(4 + inner.length, 0);
    h.writeUInt16LE(0x8000 | 0x0014, 2);
    inner = Buffer.concat([h, inner]);
  }
  const msg = Buffer.alloc(16);
  msg.writeUInt32LE(16 + inner.length, 0);
  msg.writeUInt16LE((5 << 10) | 1, 4);
  t.deepEqual(decodeTarget(Buffer.concat([msg, inner])), { ok: true, clean: true });
});
