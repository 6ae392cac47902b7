// What decoding and printing a QP dump can cost in this process model, measured on the same
// recording as the throughput bench: the codec alone; the codec plus one template string per
// line (the floor of building text as strings), and per JSON record; the codec plus bytes written straight into a
// Buffer (no string per field); and no codec at all: each entry's attribute offsets indexed into
// one reused Int32Array and read from the bytes into one template string (the floor of a
// decoder and printer fused for this one shape). All but the first print the same records as
// `res show qp` (and `-j`) for these QPs. docs/design.md reads the goals against these floors.
//   qp-floor.js REC           steady state: best of 5 rounds, every variant in this process
//   qp-floor.js REC --cold    cold: each variant's first round, each in a process of its own
//   qp-floor.js REC --only I  (internal) variant I's first round
import { decodeAttrs, Attrs } from '../src/protocol/codec.js';
import { NLDEV_SCHEMA, A } from '../src/protocol/nldev-schema.js';
import { loadRecording } from '../src/transport/recording.js';

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [file, mode, only] = process.argv.slice(2);
const rec = loadRecording(file);
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

let text = '';
let written = 0; // what a flush converts to bytes, kept so that the work is not optimised away
/** Flushes the text built so far every 64 KB, as the CLI's output does. */
const flushText = () => {
  if (text.length > 65536) {
    written += Buffer.from(text).length;
    text = '';
  }
};

/** A round of a codec variant: every payload decoded whole, then `line` per QP entry. */
const codec = (line?: (dev: string, e: Attrs) => void) => (): number => {
  let n = 0;
  for (const p of payloads) {
    const tb = decodeAttrs(NLDEV_SCHEMA, p);
    const dev = tb[A.DEV_NAME] as string;
    for (const e of tb[A.RES_QP] as Attrs[]) {
      line?.(dev, e);
      n++;
    }
  }
  return n;
};

// The fused floor: offsets of one entry's attributes (0: absent), reset per entry.
const at = new Int32Array(128);
const seen: number[] = [];
const u16 = (b: Buffer, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Buffer, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
const get = (b: Buffer, a: number) => (at[a] ? u32(b, at[a]) : undefined);
function fused(p: Buffer): number {
  let dev = '', qpS = 0, qpE = 0, n = 0;
  for (let off = 0; off + 4 <= p.length;) {
    const l = u16(p, off), t = u16(p, off + 2) & 0x3fff;
    if (t === A.DEV_NAME) dev = p.toString('utf8', off + 4, off + l - 1);
    if (t === A.RES_QP) [qpS, qpE] = [off + 4, off + l];
    off += (l + 3) & ~3;
  }
  for (let off = qpS; off + 4 <= qpE; n++) {
    const l = u16(p, off);
    for (const t of seen) at[t] = 0;
    seen.length = 0;
    for (let o = off + 4; o + 4 <= off + l;) {
      const al = u16(p, o), t = u16(p, o + 2) & 0x3fff;
      if (t < 128) {
        at[t] = o + 4;
        seen.push(t);
      }
      o += (al + 3) & ~3;
    }
    text += `link ${dev}/${get(p, A.PORT_INDEX)} lqpn ${get(p, A.RES_LQPN)} rqpn ${get(p, A.RES_RQPN)} type RC state RTS rq-psn ` +
      `${get(p, A.RES_RQ_PSN)} sq-psn ${get(p, A.RES_SQ_PSN)} path-mig-state MIGRATED pdn ${get(p, A.RES_PDN)} pid ` +
      `${get(p, A.RES_PID)} comm ib_write_bw \n`;
    flushText();
    off += (l + 3) & ~3;
  }
  return n;
}

/** Each variant: its name and one round over every payload, returning the records it handled. */
const variants: Array<[string, () => number]> = [
  ['codec alone', codec()],
  ['codec + a template string per line', codec((dev, e) => {
    text += `link ${dev}/${e[A.PORT_INDEX]} lqpn ${e[A.RES_LQPN]} rqpn ${e[A.RES_RQPN]} type RC state RTS rq-psn ${e[A.RES_RQ_PSN]} ` +
      `sq-psn ${e[A.RES_SQ_PSN]} path-mig-state MIGRATED pdn ${e[A.RES_PDN]} pid ${e[A.RES_PID]} comm ib_write_bw \n`;
    flushText();
  })],
  ['codec + a compact JSON template per record', codec((dev, e) => {
    text += `${text ? ',' : ''}{"ifindex":0,"ifname":"${dev}","port":${e[A.PORT_INDEX]},"lqpn":${e[A.RES_LQPN]},"rqpn":` +
      `${e[A.RES_RQPN]},"type":"RC","state":"RTS","rq-psn":${e[A.RES_RQ_PSN]},"sq-psn":${e[A.RES_SQ_PSN]},"path-mig-state":` +
      `"MIGRATED","pdn":${e[A.RES_PDN]},"pid":${e[A.RES_PID]},"comm":"ib_write_bw"}\n`;
    flushText();
  })],
  ['codec + bytes into a Buffer', codec((dev, e) => {
    ascii('link '); ascii(dev); ascii('/'); digits(e[A.PORT_INDEX]); ascii(' lqpn '); digits(e[A.RES_LQPN]); ascii(' rqpn ');
    digits(e[A.RES_RQPN]); ascii(' type RC state RTS rq-psn '); digits(e[A.RES_RQ_PSN]); ascii(' sq-psn '); digits(e[A.RES_SQ_PSN]);
    ascii(' path-mig-state MIGRATED pdn '); digits(e[A.RES_PDN]); ascii(' pid '); digits(e[A.RES_PID]); ascii(' comm ib_write_bw \n');
    if (pos > 65536) {
      written += pos;
      pos = 0;
    }
  })],
  ['offsets + a template string per line, no codec', () => payloads.reduce((n, p) => n + fused(p), 0)],
];

const result: Record<string, number> = {};
if (mode === '--cold') {
  // Each variant cold: its own process, its first round only.
  for (let i = 0; i < variants.length; i++) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), file, '--only', String(i)], { encoding: 'utf8' });
    Object.assign(result, JSON.parse(r.stderr.trim().split('\n').pop()!));
  }
  process.stderr.write(JSON.stringify(result) + '\n');
  process.exit(0);
}
const rounds = mode === '--only' ? 1 : 5;
for (const [name, round] of mode === '--only' ? variants.slice(Number(only), Number(only) + 1) : variants) {
  let best = Infinity;
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    n = round();
    best = Math.min(best, performance.now() - t);
  }
  result[name] = Math.round(n / (best / 1000));
}
process.stderr.write(JSON.stringify(mode === '--only' ? result : { ...result, written }) + '\n');
