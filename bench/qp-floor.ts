// What decoding and printing 100k QPs can cost in this process model, measured on the same
// recording as the throughput bench, steady state (best of 5 rounds): the codec alone, the codec
// plus one template string per line (the floor of building text as strings), and the codec plus
// bytes written straight into a Buffer (no string per field). The last two print the same lines
// as `res show qp` for these QPs. docs/design.md reads the goals against these floors.
import { decodeAttrs, Attrs } from '../src/protocol/codec.js';
import { NLDEV_SCHEMA, A } from '../src/protocol/nldev-schema.js';
import { loadRecording } from '../src/transport/recording.js';

const rec = loadRecording(process.argv[2]);
const payloads: Buffer[] = [];
for (const hex of rec.exchanges[1].replies) {
  const b = Buffer.from(hex, 'hex');
  for (let off = 0; off + 16 <= b.length;) {
    const len = b.readUInt32LE(off);
    if (b.readUInt16LE(off + 4) > 0x10) payloads.push(b.subarray(off + 16, off + len));
    off += (len + 3) & ~3;
  }
}

const out = Buffer.allocUnsafe(1 << 17);
let pos = 0;
const ascii = (s: string) => {
  for (let i = 0; i < s.length; i++) out[pos++] = s.charCodeAt(i);
};
const digits = (v: number) => {
  let d = 1;
  while (d * 10 <= v) d *= 10;
  for (; d >= 1; d /= 10) {
    const q = Math.floor(v / d);
    out[pos++] = 48 + q;
    v -= q * d;
  }
};

type Line = (dev: string, e: Attrs) => void;
let text = '';
let written = 0; // what a flush converts to bytes, kept so that the work is not optimised away
const variants: Array<[string, Line | undefined]> = [
  ['codec alone', undefined],
  ['codec + a template string per line', (dev, e) => {
    text += `link ${dev}/${e[A.PORT_INDEX]} lqpn ${e[A.RES_LQPN]} rqpn ${e[A.RES_RQPN]} type RC state RTS rq-psn ${e[A.RES_RQ_PSN]} ` +
      `sq-psn ${e[A.RES_SQ_PSN]} path-mig-state MIGRATED pdn ${e[A.RES_PDN]} pid ${e[A.RES_PID]} comm ib_write_bw \n`;
    if (text.length > 65536) {
      written += Buffer.from(text).length;
      text = '';
    }
  }],
  ['codec + bytes into a Buffer', (dev, e) => {
    ascii('link '); ascii(dev); ascii('/'); digits(e[A.PORT_INDEX]); ascii(' lqpn '); digits(e[A.RES_LQPN]); ascii(' rqpn ');
    digits(e[A.RES_RQPN]); ascii(' type RC state RTS rq-psn '); digits(e[A.RES_RQ_PSN]); ascii(' sq-psn '); digits(e[A.RES_SQ_PSN]);
    ascii(' path-mig-state MIGRATED pdn '); digits(e[A.RES_PDN]); ascii(' pid '); digits(e[A.RES_PID]); ascii(' comm ib_write_bw \n');
    if (pos > 65536) {
      written += pos;
      pos = 0;
    }
  }],
];
const result: Record<string, number> = {};
for (const [name, line] of variants) {
  let best = Infinity;
  let n = 0;
  for (let round = 0; round < 5; round++) {
    const t = performance.now();
    n = 0;
    for (const p of payloads) {
      const tb = decodeAttrs(NLDEV_SCHEMA, p);
      const dev = tb[A.DEV_NAME] as string;
      for (const e of tb[A.RES_QP] as Attrs[]) {
        line?.(dev, e);
        n++;
      }
    }
    best = Math.min(best, performance.now() - t);
  }
  result[name] = Math.round(n / (best / 1000));
}
process.stderr.write(JSON.stringify({ ...result, written }) + '\n');
