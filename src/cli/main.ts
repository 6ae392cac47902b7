// The rdmatool grammar entry point: global options, then OBJECT COMMAND ...
// dispatched through keyword tables. Also batch mode, -n NETNS and --all-netns.
// Kept free of oclif so a plain command pays only for what it uses.
import { readFileSync, readdirSync } from 'node:fs';
import { parseGlobalOptions, GlobalOptions } from './options.js';
import { CommandTable, dispatch, matches } from './grammar.js';
import { RunContext } from './context.js';
import { CliError, UsageError } from './errors.js';
import { devCommand } from './dev.js';
import { linkCommand } from './link.js';
import { resCommand } from './res.js';
import { statCommand } from './stat.js';
import { sysCommand } from './sys.js';
import { monitorCommand } from './monitor.js';
import { gidCommand } from './gid.js';
import { cgroupCommand } from './cgroup.js';
import { doctorCommand } from './doctor.js';
import { exporterCommand } from './exporter.js';
import { Session } from '../transport/session.js';
import { resolveNetnsPath, NETNS_RUN_DIR } from '../transport/netns.js';
import { NetlinkError, TransportError, NetnsError } from '../transport/errors.js';
import { FramingError } from '../transport/framing.js';
import { DecodeError, EncodeError } from '../protocol/codec.js';
import { SwitchDeviceError } from '../model/device.js';
import { RdmaClient } from '../model/client.js';
import { Output } from '../views/output.js';
import { layoutFor } from '../views/layout.js';
import { VERSION } from './version.js';

// bin/rdma-ts.js prints --help through these, from the same bundle.
export { helpPage, loadHelpPages } from './help-page.js';

export const USAGE =
  'Usage: rdma-ts [ OPTIONS ] OBJECT { COMMAND | help }\n' +
  '       rdma-ts [ -f[orce] ] -b[atch] filename\n' +
  'where  OBJECT := { dev | link | resource | monitor | system | statistic | gid | cgroup | doctor | exporter | top | help }\n' +
  '       OPTIONS := { -V[ersion] | -d[etails] | -j[son] | -p[retty] | -r[aw] | -o[neline] }\n' +
  '                  -n NETNS | --netns NETNS   run inside a network namespace (name, path or PID)\n' +
  '                  --all-netns                 run a show command in every named namespace (top: every namespace)\n' +
  '                  --compat 6.1                iproute2 6.1 output layout (also RDMA_TS_COMPAT)\n' +
  '                  --record FILE | --replay FILE   save / answer from netlink exchanges\n' +
  '                  --debug                     report unknown kernel attributes on stderr\n' +
  '                  --dry-run                   writes: print the requests instead of sending them\n';

function help(ctx: RunContext): void {
  ctx.out.raw(USAGE);
}

/** Object order decides prefixes: `rdma s` is system, as in rdmatool. */
export const OBJECTS: CommandTable<RunContext> = [
  [null, help],
  ['help', help],
  ['dev', devCommand],
  ['link', linkCommand],
  ['resource', resCommand],
  ['system', sysCommand],
  ['statistic', statCommand],
  ['monitor', monitorCommand],
  ['gid', gidCommand],
  ['cgroup', cgroupCommand],
  ['doctor', doctorCommand],
  ['exporter', exporterCommand],
  // Loaded when used: the other commands do not pay for top's modules.
  ['top', (ctx, args) => import('./top.js').then((m) => m.topCommand(ctx, args))],
];

/** Objects that cover every namespace themselves under --all-netns (instead of running once per named one). */
const OWN_ALL_NETNS = ['top', 'gid', 'cgroup', 'doctor', 'exporter'];

/**
 * Runs one command line; returns the exit status (a promise for a streaming command). Never throws: every error is reported on
 * stderr with its status.
 */
export function main(argv: string[]): number | Promise<number> {
  try {
    return mainUnguarded(argv);
  } catch (e) {
    return report(e);
  }
}

function mainUnguarded(argv: string[]): number | Promise<number> {
  let parsed;
  try {
    parsed = parseGlobalOptions(argv);
  } catch (e) {
    return report(e);
  }
  const { opts, args } = parsed;
  if (opts.version) {
    process.stdout.write(`rdma-ts utility, rdma-ts-${VERSION}\n`);
    return 0;
  }
  if (opts.help || (args.length === 0 && !opts.batch)) {
    process.stdout.write(USAGE);
    return args.length === 0 && !opts.help ? 1 : 0;
  }
  RdmaClient.debugUnknown = opts.debug;
  if (opts.batch) return runBatch(opts);
  if (opts.allNetns && !OWN_ALL_NETNS.some((o) => args[0] && matches(args[0], o))) return runAllNetns(opts, args);
  return runOne(opts, args, opts.netns === undefined ? undefined : resolveNetnsPath(opts.netns));
}

function makeOutput(opts: GlobalOptions, prefix?: Record<string, string>): Output {
  const layout = layoutFor(opts.compat);
  return new Output({ json: opts.json, pretty: opts.pretty, oneline: opts.oneline && layout.oneline, layout, prefix });
}

function runOne(opts: GlobalOptions, args: string[], netns: string | undefined, out?: Output, session?: Session): number | Promise<number> {
  const ownOut = !out;
  const ownSession = !session;
  let status = 0;
  const finish = () => {
    try {
      if (ownOut) out?.end();
      else out?.flush();
      if (ownSession) session?.close();
    } catch (e) {
      status ||= report(e);
    }
    return status;
  };
  let pending: void | Promise<void> = undefined;
  try {
    out ??= makeOutput(opts);
    session ??= new Session({ netns, record: opts.record, replay: opts.replay, argv: process.argv.slice(2) });
    const ctx = new RunContext(session, out, opts, ownOut && ownSession);
    pending = dispatch(ctx, args, OBJECTS, 'object');
    status = ctx.exitStatus;
  } catch (e) {
    status = report(e);
  }
  if (!(pending instanceof Promise)) return finish();
  return pending.then(() => finish(), (e) => {
    status = report(e);
    return finish();
  });
}

/** The status of a command that cannot stream here (a batch line, one namespace of --all-netns). */
function settled(rc: number | Promise<number>): number {
  if (typeof rc === 'number') return rc;
  throw new Error('internal: a streaming command ran where only complete ones may');
}

/** -b FILE: one command per line (`#` comments, blank lines skipped); stops at the first failure unless -f. */
function runBatch(opts: GlobalOptions): number {
  let text: string;
  try {
    text = readFileSync(opts.batch === '-' ? 0 : opts.batch!, 'utf8');
  } catch (e) {
    return report(new CliError(`Cannot open file "${opts.batch}" for reading: ${(e as Error).message}`));
  }
  const netns = opts.netns === undefined ? undefined : resolveNetnsPath(opts.netns);
  const session = new Session({ netns, record: opts.record, replay: opts.replay, argv: process.argv.slice(2) });
  let status = 0;
  try {
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const words = splitLine(lines[n]);
      if (!words.length) continue;
      let rc: number;
      try {
        const { opts: lineOpts, args } = parseGlobalOptions(words);
        const merged: GlobalOptions = { ...opts, ...pickSet(lineOpts), batch: undefined };
        rc = settled(runOne(merged, args, netns, undefined, session));
      } catch (e) {
        rc = report(e); // a bad option on this line fails this line, like a bad command
      }
      if (rc) {
        process.stderr.write(`Command failed ${opts.batch}:${n + 1}\n`);
        status = 1;
        if (!opts.force) break;
      }
    }
  } finally {
    session.close();
  }
  return status;
}

function pickSet(o: GlobalOptions): Partial<GlobalOptions> {
  const out: Partial<GlobalOptions> = {};
  for (const [k, v] of Object.entries(o)) if (v !== false && v !== 0 && v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** makeargs(): whitespace-separated words, double/single quotes group, `#` starts a comment. */
export function splitLine(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(#.*$)|(\S+)/g;
  let m;
  while ((m = re.exec(line))) {
    if (m[3] !== undefined) break;
    words.push(m[1] ?? m[2] ?? m[4]);
  }
  return words;
}

/** --all-netns: the same command in every named namespace; text gets a header, JSON a "netns" key. */
function runAllNetns(opts: GlobalOptions, args: string[]): number {
  let names: string[];
  try {
    names = readdirSync(NETNS_RUN_DIR).sort();
  } catch {
    names = [];
  }
  if (!names.length) {
    process.stderr.write(`rdma-ts: no named network namespaces in ${NETNS_RUN_DIR}\n`);
    return 1;
  }
  let status = 0;
  const shared = opts.json ? makeOutput(opts) : undefined;
  const session = new Session({ record: opts.record, replay: opts.replay, argv: process.argv.slice(2) });
  shared?.begin(); // one valid JSON array even when some namespaces fail
  try {
    for (const name of names) {
      const path = resolveNetnsPath(name);
      if (shared) shared.setPrefix({ netns: name });
      else process.stdout.write(`netns ${name}:\n`);
      const rc = settled(runOne(opts, args, path, shared ?? makeOutput(opts), session.inNetns(path)));
      status ||= rc;
      if (shared) shared.flush();
    }
  } finally {
    shared?.end();
    session.close();
  }
  return status;
}

const HINTS: Record<number, string> = {
  1: 'this needs CAP_NET_ADMIN in the user namespace that owns the network namespace (run as root)',
  13: 'this needs CAP_NET_ADMIN (run as root)',
  16: 'the kernel refuses while something else holds the object (see above)',
  95: 'the kernel or driver does not support this request',
};

/** Prints an error the way rdmatool does (plus a hint where we know the way out); returns the exit status. */
export function report(e: unknown): number {
  const w = (s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n');
  if (e instanceof UsageError) {
    w(`rdma-ts: ${e.message}`);
    w(USAGE);
    return e.exitCode;
  }
  if (e instanceof CliError) {
    if (e.message) w(e.message);
    return e.exitCode;
  }
  if (e instanceof NetlinkError) {
    if (e.extack) w(`Error: ${e.extack}${/[.!?]$/.test(e.extack) ? '' : '.'}`);
    w(`error: ${e.message.replace(/^[^:]*: /, '')}`);
    const hint = e.hint ?? HINTS[e.errno];
    if (hint) w(`hint: ${hint}`);
    return 1;
  }
  if (e instanceof SwitchDeviceError) {
    w(e.message);
    return 1;
  }
  if (e instanceof TransportError || e instanceof NetnsError || e instanceof DecodeError || e instanceof EncodeError
    || e instanceof FramingError) {
    w(`rdma-ts: ${e.message}`);
    return 1;
  }
  w(`rdma-ts: internal error: ${(e as Error)?.stack ?? String(e)}`);
  return 70;
}
