// Typed NLDEV requests on top of a transport session: builds the request from
// schema entries, decodes every reply, and reports unknown attributes.
import { Session } from '../transport/session.js';
import { decodeAttrs, decodeStreamed, encodeAttrs, collectUnknown, describeAttrs, Attrs, EncodeEntry, DecodeError } from '../protocol/codec.js';
import { NLDEV_SCHEMA, CMD_NAME, CMD_SINCE, nldevType } from '../protocol/nldev-schema.js';
import { NetlinkError } from '../transport/errors.js';

export class RdmaClient {
  /** Set by --debug: unknown attributes are reported on stderr instead of only kept. */
  static debugUnknown = false;

  constructor(readonly session: Session) {}

  /** A request that changes kernel state (see Session.write); --dry-run shows it decoded from its bytes. */
  write(cmd: number, attrs: EncodeEntry[], session: Session = this.session, note?: string): void {
    const payload = encodeAttrs(NLDEV_SCHEMA, attrs);
    this.explain(cmd, () =>
      session.write('rdma', nldevType(cmd), payload, CMD_NAME[cmd],
        () => `${describeAttrs(NLDEV_SCHEMA, payload)}${note ? ` (${note})` : ''}`));
  }

  doit(cmd: number, attrs: EncodeEntry[] = []): Attrs[] {
    const ch = this.session.channel('rdma');
    return this.decode(cmd, this.explain(cmd, () => ch.doit(nldevType(cmd), encodeAttrs(NLDEV_SCHEMA, attrs), CMD_NAME[cmd])));
  }

  /**
   * A doit whose answer is one message. A kernel (or a recording) that
   * answers with the ACK alone is an error that names the command, not a
   * record of undefineds.
   */
  doitOne(cmd: number, attrs: EncodeEntry[] = []): Attrs {
    const [tb] = this.doit(cmd, attrs);
    if (!tb) throw new DecodeError(`${CMD_NAME[cmd]}: the kernel answered with an ACK and no message`);
    return tb;
  }

  dump(cmd: number, attrs: EncodeEntry[] = []): Attrs[] {
    return this.decode(cmd, this.messages(cmd, attrs));
  }

  /** A dump's messages, undecoded, kept until NLMSG_DONE (an interrupted dump is retried whole). */
  private messages(cmd: number, attrs: EncodeEntry[]) {
    const ch = this.session.channel('rdma');
    return this.explain(cmd, () => ch.dump(nldevType(cmd), encodeAttrs(NLDEV_SCHEMA, attrs), CMD_NAME[cmd]));
  }

  /**
   * A dump decoded one message at a time. The raw datagrams are kept until
   * NLMSG_DONE (an interrupted dump is retried whole), but decoded records
   * reach `each` and die young: a 100k-QP dump never lives decoded at once.
   */
  dumpEach(cmd: number, attrs: EncodeEntry[], each: (tb: Attrs) => void): void {
    for (const m of this.messages(cmd, attrs)) each(this.decodeOne(cmd, m));
  }

  /**
   * dumpEach for a dump of one large list (a restrack table): each message's `table` entries are
   * decoded one at a time into one reused table (codec.ts decodeStreamed), handed to `each` with
   * the message's other attributes. An entry is valid only during the call.
   */
  dumpEntries(cmd: number, attrs: EncodeEntry[], table: number, each: (tb: Attrs, entry: Attrs) => void): void {
    if (RdmaClient.debugUnknown) {
      this.dumpEach(cmd, attrs, (tb) => {
        for (const entry of (tb[table] ?? []) as Attrs[]) each(tb, entry);
      });
      return;
    }
    for (const m of this.messages(cmd, attrs)) decodeStreamed(NLDEV_SCHEMA, m.payload, table, each);
  }

  /** A late command refused by an older kernel: say which release added it. */
  private explain<T>(cmd: number, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      const since = CMD_SINCE[cmd];
      if (e instanceof NetlinkError && !e.hint && since && (e.errno === 22 || e.errno === 95) && olderThan(this.session.kernel, since)) {
        e.hint = `${CMD_NAME[cmd]} is new in Linux ${since.join('.')}; this kernel is ${this.session.kernel}`;
      }
      throw e;
    }
  }

  private decode(cmd: number, msgs: { type: number; payload: Buffer }[]): Attrs[] {
    return msgs.map((m) => this.decodeOne(cmd, m));
  }

  private decodeOne(cmd: number, m: { payload: Buffer }): Attrs {
    const tb = decodeAttrs(NLDEV_SCHEMA, m.payload);
    if (RdmaClient.debugUnknown) {
      for (const line of collectUnknown(tb, NLDEV_SCHEMA)) process.stderr.write(`debug: ${CMD_NAME[cmd]} reply, ${line}\n`);
    }
    return tb;
  }
}

/** True when release `rel` ("6.1.0-56-amd64") is older than [major, minor]. */
export function olderThan(rel: string, [major, minor]: [number, number]): boolean {
  const m = /^(\d+)\.(\d+)/.exec(rel);
  if (!m) return false;
  return Number(m[1]) < major || (Number(m[1]) === major && Number(m[2]) < minor);
}
