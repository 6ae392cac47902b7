// The emitter every printer writes through. It reproduces iproute2's
// json_writer (separators, 4-space pretty indent, `[ ... ]` spacing) and the
// PRINT_ANY / PRINT_FP / PRINT_JSON split of json_print.c, so printers state
// each field once and both text and JSON come out as rdmatool's.
import { writeSync } from 'node:fs';
import type { Layout } from './layout.js';

export interface OutputOptions {
  json: boolean;
  pretty: boolean;
  oneline: boolean;
  layout: Layout;
  /** JSON fields put first in every record (--all-netns adds "netns"). */
  prefix?: Record<string, string>;
}

export type JsonScalar = string | number | bigint | boolean | null;

const FLUSH_AT = 1 << 16;

export class Output {
  private buf = '';
  private depth = 0;
  private sep = ''; // '' or ','
  private started = false;
  readonly json: boolean;
  readonly pretty: boolean;

  /** Where output goes unless a sink is given; the lab's in-process runner captures it here. */
  static defaultSink: (s: string) => void = stdoutSink;

  constructor(readonly opts: OutputOptions, private readonly sink: (s: string) => void = Output.defaultSink) {
    this.json = opts.json;
    this.pretty = opts.pretty;
  }

  /** Line separator used inside a record: `\` with -o, like iproute2's _SL_. */
  get sl(): string {
    return this.opts.oneline ? '\\' : '\n';
  }

  // ---- document ----
  /** new_json_obj(): opens the top-level array in JSON mode. */
  begin(): void {
    if (this.json && !this.started) this.jStart('[');
    this.started = true;
  }

  /** delete_json_obj(): closes the array and ends the line. Always safe to call. */
  end(): void {
    if (this.json && this.started) {
      this.jEnd(']');
      this.buf += '\n';
    }
    this.started = false;
    this.flush();
  }

  flush(): void {
    if (this.buf) {
      this.sink(this.buf);
      this.buf = '';
    }
  }

  // ---- records ----
  openRecord(): void {
    if (!this.json) return;
    this.jStart('{');
    const prefix = this.opts.prefix;
    if (prefix) for (const k in prefix) this.jField(k, prefix[k]);
  }

  setPrefix(prefix: Record<string, string>): void {
    this.opts.prefix = prefix;
  }

  /**
   * `viaNewline`: rdmatool ends most records with newline() (putchar('\n'), which since 6.7 also
   * breaks JSON); `stat mr` ends them with print_nl(), which prints _SL_ in text (`\` with -o)
   * and nothing in JSON (lab-checked against iproute2 7.1).
   */
  closeRecord(viaNewline = true): void {
    if (this.json) {
      this.jEnd('}');
      if (viaNewline && this.opts.layout.recordNewlineInJson) this.buf += '\n';
    } else {
      this.buf += viaNewline ? '\n' : this.sl;
    }
    if (this.buf.length > FLUSH_AT) this.flush();
  }

  /**
   * A whole text record built by a compiled printer (views/res.ts): the record's text, then the
   * newline closeRecord() would write.
   */
  textRecord(text: string): void {
    this.buf += text + '\n';
    if (this.buf.length > FLUSH_AT) this.flush();
  }

  /**
   * A whole compact-JSON record built by a compiled printer from member() pieces joined by `,`:
   * what openRecord(), one jField() per member and closeRecord() write, in one append.
   */
  jsonRecord(members: string): void {
    let pre = '';
    const prefix = this.opts.prefix;
    if (prefix) for (const k in prefix) pre += this.member(k, prefix[k]) + ',';
    if (this.sep) this.buf += this.sep;
    this.buf += '{' + (members ? pre + members : pre.slice(0, -1)) + (this.opts.layout.recordNewlineInJson ? '}\n' : '}');
    this.sep = ',';
    if (this.buf.length > FLUSH_AT) this.flush();
  }

  /** `"key":value` as compact JSON writes it (a compiled printer's piece; jField's compact form). */
  member(key: string, v: JsonScalar): string {
    return memberName(key) + this.jsonValue(v);
  }

  // ---- fields ----
  /** PRINT_ANY: `text` in text mode, "key": value in JSON. */
  kv(key: string, text: string, value: JsonScalar): void {
    if (this.json) this.jField(key, value);
    else this.buf += text;
  }

  /** PRINT_ANY of `key value ` (print_u64 and friends); the text is built only when printed. */
  num(key: string, v: number | bigint | string): void {
    if (this.json) this.jField(key, v);
    else this.buf += key + ' ' + v + ' ';
  }

  /** PRINT_FP: text only. */
  text(s: string): void {
    if (!this.json) this.buf += s;
  }

  /** PRINT_JSON: JSON only. */
  jsonOnly(key: string, value: JsonScalar): void {
    if (this.json) this.jField(key, value);
  }

  /** open_json_array(PRINT_JSON, key) + an optional text opener. */
  openArray(key: string | null, textOpen = ''): void {
    if (this.json) {
      if (key !== null) this.jName(key);
      this.jStart('[');
    } else this.buf += textOpen;
  }

  arrayItem(text: string, value: JsonScalar): void {
    if (this.json) this.jValue(value);
    else this.buf += text;
  }

  closeArray(textClose = ''): void {
    if (this.json) this.jEnd(']');
    else this.buf += textClose;
  }

  /** A nested JSON object under `key` (JSON only). */
  openObject(key: string): void {
    if (!this.json) return;
    this.jName(key);
    this.jStart('{');
  }

  closeObject(): void {
    if (this.json) this.jEnd('}');
  }

  /** newline_indent(): a line break plus four spaces, in text only. */
  newlineIndent(): void {
    if (!this.json) this.buf += this.sl + '    ';
  }

  /** Raw text that bypasses JSON (rdmatool's `system show` prints text even with -j). */
  raw(s: string): void {
    this.buf += s;
  }

  // ---- json_writer ----
  private jEol(): void {
    if (!this.pretty) return;
    this.buf += '\n' + indent(this.depth);
  }

  private jEor(): void {
    if (this.sep) this.buf += this.sep;
    this.sep = ',';
  }

  private jStart(c: '[' | '{'): void {
    this.jEor();
    this.buf += c;
    this.depth++;
    this.sep = '';
    if (c === '[' && this.pretty) this.buf += ' ';
  }

  private jEnd(c: ']' | '}'): void {
    if (c === ']' && this.pretty && this.sep) this.buf += ' ';
    if (c === ']') {
      this.depth--;
      this.buf += ']';
      this.sep = ',';
      return;
    }
    this.depth--;
    if (this.sep) this.jEol();
    this.buf += c;
    this.sep = ',';
  }

  private jName(name: string): void {
    this.jEor();
    this.jEol();
    this.sep = '';
    this.buf += this.pretty ? quotedName(name) + ': ' : quotedName(name) + ':';
  }

  private jValue(v: JsonScalar): void {
    this.jEor();
    this.buf += this.jsonValue(v);
  }

  /** A value as this writer prints it (one place: members, array items and compiled printers' pieces). */
  jsonValue(v: JsonScalar): string | number {
    if (typeof v === 'number') return v;
    return this.standardJson && typeof v === 'string' ? JSON.stringify(v) : jsonScalar(v);
  }

  /**
   * rdma-ts's own objects (gid, cgroup, doctor) print standard JSON:
   * iproute2's writer escapes ' as \' (invalid JSON), which rdmatool's
   * objects keep for byte compatibility.
   */
  standardJson = false;

  /** A member: the hot path of every JSON record (one call per field), kept to one append. */
  private jField(key: string, v: JsonScalar): void {
    if (this.sep) this.buf += this.sep;
    this.buf += this.pretty ? '\n' + indent(this.depth) + quotedName(key) + ': ' + this.jsonValue(v) : this.member(key, v);
    this.sep = ',';
  }
}

/** `"key":`, the start of a compact member (a compiled printer builds it once per field). */
export const memberName = (key: string): string => quotedName(key) + ':';

/** Keys are few and printed once per record: quoted once. */
const QUOTED_NAMES = new Map<string, string>();
function quotedName(name: string): string {
  let quoted = QUOTED_NAMES.get(name);
  if (quoted === undefined) QUOTED_NAMES.set(name, (quoted = jsonString(name)));
  return quoted;
}

/** Values repeat (a comm per process, RC, RTS): the last few hundred are kept quoted. */
const QUOTED_VALUES = new Map<string, string>();
function quotedValue(s: string): string {
  let quoted = QUOTED_VALUES.get(s);
  if (quoted === undefined) {
    if (QUOTED_VALUES.size >= 512) QUOTED_VALUES.clear();
    QUOTED_VALUES.set(s, (quoted = jsonString(s)));
  }
  return quoted;
}

const INDENTS = Array.from({ length: 16 }, (_, i) => '    '.repeat(i));
const indent = (depth: number) => INDENTS[depth] ?? '    '.repeat(depth);

function jsonScalar(v: JsonScalar): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return quotedValue(v);
    case 'boolean': return v ? 'true' : 'false';
    default: return String(v);
  }
}

const ESC: Record<string, string> = {
  '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f', '\b': '\\b', '\\': '\\\\', '"': '\\"', "'": "\\'",
};

/** jsonw_puts(): iproute2 escapes these characters and passes the rest through. */
export function jsonString(s: string): string {
  return '"' + (/[\t\n\r\f\b\\"']/.test(s) ? s.replace(/[\t\n\r\f\b\\"']/g, (c) => ESC[c]) : s) + '"';
}

let scratch = Buffer.allocUnsafe(1 << 17);

/**
 * Writes all of `s` to stdout, synchronously; false when the reader has gone
 * (EPIPE: `rdma-ts ... | head`), which is not an error.
 */
export function writeStdout(s: string): boolean {
  // Through one reused buffer: a dump of 100k QPs is ~200 flushes of 64 KB, and a new Buffer
  // for each is external memory that makes V8 collect sooner.
  const len = Buffer.byteLength(s);
  if (len > scratch.length) scratch = Buffer.allocUnsafe(len);
  scratch.write(s, 0, len);
  let off = 0;
  while (off < len) {
    try {
      off += writeSync(1, scratch, off, len - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EPIPE') return false;
      throw e;
    }
  }
  return true;
}

/** A one-shot command whose reader has gone has nothing left to do. */
function stdoutSink(s: string): void {
  if (!writeStdout(s)) process.exit(0);
}
