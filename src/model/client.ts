// Typed NLDEV requests on top of a transport session: builds the request from
// schema entries, decodes every reply, and reports unknown attributes.
import { Session } from '../transport/session.js';
import { decodeAttrs, encodeAttrs, collectUnknown, describeAttrs, Attrs, EncodeEntry } from '../protocol/codec.js';
import { NLDEV_SCHEMA, CMD_NAME, nldevType } from '../protocol/nldev-schema.js';

export class RdmaClient {
  /** Set by --debug: unknown attributes are reported on stderr instead of only kept. */
  static debugUnknown = false;

  constructor(readonly session: Session) {}

  /** A request that changes kernel state (see Session.write); --dry-run shows it decoded from its bytes. */
  write(cmd: number, attrs: EncodeEntry[], session: Session = this.session, note?: string): void {
    const payload = encodeAttrs(NLDEV_SCHEMA, attrs);
    session.write('rdma', nldevType(cmd), payload, CMD_NAME[cmd], () => `${describeAttrs(NLDEV_SCHEMA, payload)}${note ? ` (${note})` : ''}`);
  }

  doit(cmd: number, attrs: EncodeEntry[] = []): Attrs[] {
    const ch = this.session.channel('rdma');
    return this.decode(cmd, ch.doit(nldevType(cmd), encodeAttrs(NLDEV_SCHEMA, attrs), CMD_NAME[cmd]));
  }

  dump(cmd: number, attrs: EncodeEntry[] = []): Attrs[] {
    const ch = this.session.channel('rdma');
    return this.decode(cmd, ch.dump(nldevType(cmd), encodeAttrs(NLDEV_SCHEMA, attrs), CMD_NAME[cmd]));
  }

  /**
   * A dump decoded one message at a time. The raw datagrams are kept until
   * NLMSG_DONE (an interrupted dump is retried whole), but decoded records
   * reach `each` and die young: a 100k-QP dump never lives decoded at once.
   */
  dumpEach(cmd: number, attrs: EncodeEntry[], each: (tb: Attrs) => void): void {
    const ch = this.session.channel('rdma');
    for (const m of ch.dump(nldevType(cmd), encodeAttrs(NLDEV_SCHEMA, attrs), CMD_NAME[cmd])) each(this.decodeOne(cmd, m));
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
