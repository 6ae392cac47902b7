// What the fuzzer runs each input through, and how it judges the result.
// - decode: framing (parseMessages, parseErrorPayload) and the codec
//   (decodeAttrs on the NLDEV schema, collectUnknown, describeAttrs). A clean
//   failure is a DecodeError or a FramingError.
// - pipeline: a whole rdma-ts command (main(), in this process) whose kernel
//   answers from a real recording with one datagram mutated: models and views
//   included. A clean failure is an exit status with a message on stderr; a
//   crash is rdma-ts's "internal error" (a TypeError, a RangeError, ...).
import { decodeAttrs, collectUnknown, describeAttrs, DecodeError } from '../../src/protocol/codec.js';
import { NLDEV_SCHEMA } from '../../src/protocol/nldev-schema.js';
import { parseMessages, parseErrorPayload, FramingError, NLMSG_ERROR, NLMSG_DONE } from '../../src/transport/framing.js';
import { Session } from '../../src/transport/session.js';
import { main } from '../../src/cli/main.js';
import { Output } from '../../src/views/output.js';
import { answeringSocket } from '../support/uapi-kernel.js';
import type { SeedRecording } from './corpus.js';
import type { Mutation } from './mutate.js';

export type Verdict = { ok: true; clean: boolean } | { ok: false; why: string };

export function decodeTarget(d: Buffer): Verdict {
  try {
    for (const m of parseMessages(d)) {
      if (m.type === NLMSG_ERROR || m.type === NLMSG_DONE) parseErrorPayload(m);
      else {
        const tb = decodeAttrs(NLDEV_SCHEMA, m.payload);
        collectUnknown(tb, NLDEV_SCHEMA);
        describeAttrs(NLDEV_SCHEMA, m.payload);
      }
    }
    return { ok: true, clean: false };
  } catch (e) {
    if ((e instanceof DecodeError || e instanceof FramingError) && e.message) return { ok: true, clean: true };
    return { ok: false, why: e instanceof Error ? `${e.constructor.name}: ${e.message}\n${e.stack}` : String(e) };
  }
}

/** The seq of every message of a datagram set to `seq`, walking its real lengths (before any mutation). */
function withSeq(d: Buffer, seq: number): Buffer {
  const b = Buffer.from(d);
  for (let o = 0; o + 16 <= b.length;) {
    const len = b.readUInt32LE(o);
    b.writeUInt32LE(seq, o + 8);
    if (len < 16) break;
    o += (len + 3) & ~3;
  }
  return b;
}

export interface PipelineInput {
  rec: SeedRecording;
  /** Which exchange, and which of its datagrams, is mutated (taken modulo their counts). */
  exchange: number;
  datagram: number;
  mutate: Mutation;
}

export function pipelineTarget(input: PipelineInput): Verdict {
  const { rec } = input;
  const x = input.exchange % rec.replies.length;
  let n = 0;
  const factory = Session.socketFactory;
  Session.socketFactory = () => answeringSocket((req) => {
    const i = n++;
    const seq = req.readUInt32LE(8);
    const replies = (rec.replies[i] ?? []).map((d) => withSeq(d, seq));
    if (i === x && replies.length) {
      const k = input.datagram % replies.length;
      replies[k] = input.mutate(replies[k]);
    }
    return replies;
  });
  let stderr = '';
  const sink = Output.defaultSink;
  const ow = process.stdout.write, ew = process.stderr.write;
  Output.defaultSink = () => {};
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
  let rc: number | Promise<number>;
  try {
    rc = main(rec.argv);
  } catch (e) {
    return { ok: false, why: `main() threw: ${e instanceof Error ? e.stack : String(e)}` };
  } finally {
    Output.defaultSink = sink;
    process.stdout.write = ow;
    process.stderr.write = ew;
    Session.socketFactory = factory;
  }
  if (typeof rc !== 'number') return { ok: false, why: `${rec.argv.join(' ')} returned a promise` };
  if (/internal error/.test(stderr)) return { ok: false, why: `${rec.argv.join(' ')}: ${stderr}` };
  if (rc !== 0 && !stderr.trim()) return { ok: false, why: `${rec.argv.join(' ')}: exit ${rc} with nothing on stderr` };
  return { ok: true, clean: rc !== 0 };
}
