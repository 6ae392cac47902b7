// rdma-ts top: live RDMA counters. A full-screen ink TUI on a terminal;
// plain text frames without one (or with --no-tui); NDJSON with -j/--json.
// Read-only unless --bind-auto, whose change is put back however top ends.
import { RunContext } from './context.js';
import { CliError } from './errors.js';
import { matches } from './grammar.js';
import { Sampler } from '../model/sampler.js';
import type { AutoBinding } from '../model/auto-bind.js';
import { allScopes, ownScope } from '../model/netns-scope.js';
import { AUTO_MASK } from '../model/stat.js';
import { TopLoop } from './top-loop.js';
import { VIEWS, ViewName, ViewOptions, wantsOf } from '../views/top/rows.js';
import { writeStdout } from '../views/output.js';

export const TOP_USAGE =
  'Usage: rdma-ts [ -j ] [ -n NETNS | --all-netns ] top [ -i SECONDS ] [ -c COUNT ] [ --no-tui ]\n' +
  '                 [ --view ports,counters,processes,namespaces ] [ --bind-auto pid|type|type,pid ]\n' +
  '  -i, --interval S   seconds between samples, 0.2 to 60 (default 1)\n' +
  '  -c, --count N      stop after N samples\n' +
  '  --no-tui           plain text frames (also without a terminal); -j: NDJSON, one object per row per sample\n' +
  '  --view V[,V]       the views plain and JSON output print (default all); the TUI starts on the first\n' +
  '  --bind-auto M      QP counter auto mode M on every port while top runs (the previous mode is put back)\n';

export interface TopOptions {
  help?: boolean;
  interval: number;
  count?: number;
  noTui: boolean;
  views: ViewName[];
  bindAuto?: number;
}

const MASKS: Record<string, number> = { pid: AUTO_MASK.PID, type: AUTO_MASK.QP_TYPE,
  'type,pid': AUTO_MASK.PID | AUTO_MASK.QP_TYPE, 'pid,type': AUTO_MASK.PID | AUTO_MASK.QP_TYPE };

export function parseTopArgs(args: string[]): TopOptions {
  const o: TopOptions = { interval: 1, noTui: false, views: [...VIEWS] };
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let value: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      value = a.slice(eq + 1);
      a = a.slice(0, eq);
    } else if (/^-[ic]./.test(a)) {
      value = a.slice(2);
      a = a.slice(0, 2);
    }
    const need = () => {
      const v = value ?? args[++i];
      if (v === undefined) throw new CliError(`top: ${a} needs a value\n${TOP_USAGE}`);
      return v;
    };
    switch (a) {
      case '-i': case '--interval': {
        const v = need();
        const s = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || s < 0.2 || s > 60) throw new CliError(`top: the interval must be 0.2 to 60 seconds, not '${v}'`);
        o.interval = s;
        break;
      }
      case '-c': case '--count': {
        const v = need();
        if (!/^[1-9]\d*$/.test(v)) throw new CliError(`top: the count must be a whole number of samples, 1 or more, not '${v}'`);
        o.count = Number(v);
        break;
      }
      case '--no-tui':
        o.noTui = true;
        break;
      case '--view': {
        const v = need();
        o.views = v === 'all' ? [...VIEWS] : v.split(',').map((w) => {
          const hit = VIEWS.find((name) => w !== '' && matches(w, name));
          if (!hit) throw new CliError(`top: unknown view '${w}' (views: ${VIEWS.join(', ')}, all)`);
          return hit;
        });
        break;
      }
      case '--bind-auto': {
        const v = need();
        if (MASKS[v] === undefined) throw new CliError(`top: --bind-auto takes pid, type or type,pid, not '${v}'`);
        o.bindAuto = MASKS[v];
        break;
      }
      case 'help': case '--help': case '-h':
        o.help = true;
        break;
      default:
        throw new CliError(`top: unknown option '${args[i]}'\n${TOP_USAGE}`);
    }
  }
  return o;
}

export async function topCommand(ctx: RunContext, args: string[]): Promise<void> {
  const o = parseTopArgs(args);
  if (o.help) return ctx.out.raw(TOP_USAGE);
  const g = ctx.opts;
  if (!ctx.standalone) throw new CliError('top runs on its own, not in batch mode');
  const tui = !g.json && !o.noTui && !!process.stdout.isTTY && !!process.stdin.isTTY;
  const session = ctx.session;
  const say = (line: string) => process.stderr.write(`top: ${line}\n`);
  const viewOptions: ViewOptions = {};

  // Start-up: modules a run does not use are not loaded (--bind-auto's, the other renderer's).
  let bindings: AutoBinding[] = [];
  let restore = () => {};
  if (o.bindAuto !== undefined) {
    const { bindAuto, restoreAuto } = await import('../model/auto-bind.js');
    const scopes = g.allNetns ? allScopes(session) : [ownScope(session, g.netns)];
    bindings = bindAuto(session, scopes, o.bindAuto, say);
    restore = () => restoreAuto(bindings, say);
  }
  // Put the counter mode back on every way out; restoreAuto empties the list, so it runs once.
  process.once('exit', restore);

  const loop = new TopLoop(new Sampler(session, { netns: g.netns, allNetns: g.allNetns }), { interval: o.interval, count: o.count });
  loop.wants = wantsOf(tui ? [o.views[0]] : o.views);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = () => loop.end();
  for (const s of signals) process.on(s, onSignal);
  try {
    if (tui) {
      // The first reading happens before any screen: no RDMA netlink, EPERM and the like fail as usual.
      loop.start();
      if (loop.failure) throw loop.failure;
      // React's development build is several times slower per frame; production unless told otherwise.
      process.env.NODE_ENV ??= 'production';
      const { runTui } = await import('../views/top/tui/run.js');
      const ui = runTui({ feed: loop, options: viewOptions, initialView: o.views[0] });
      ui.closed.then(() => loop.end());
      await loop.done;
      // A replay's end or an error leaves the last frame up until the user quits; --count ends it.
      if (loop.reason !== 'end' && loop.reason !== 'error') ui.close();
      await ui.closed;
    } else {
      let open = true; // until the reader goes (a closed pipe ends top with exit 0)
      const write = (text: string) => open && (open = writeStdout(text));
      const render = g.json ? (await import('../views/top/ndjson.js')).ndjsonLines : undefined;
      const frame = g.json ? undefined : (await import('../views/top/plain.js')).plainFrame;
      loop.onObservation = (obs) => {
        const width = process.stdout.isTTY ? process.stdout.columns : Infinity;
        const text = render ? render(obs, o.views, viewOptions) : frame!(obs, o.views, loop.interval, viewOptions, width);
        if (!write(text)) loop.end('stopped', 'the reader closed the pipe');
      };
      loop.start();
      await loop.done;
    }
  } finally {
    for (const s of signals) process.off(s, onSignal);
    restore();
    process.off('exit', restore);
  }
  if (loop.failure) throw loop.failure;
  if (loop.reason === 'end' && !tui) say(`end of the recording (${loop.taken} samples)`);
}
