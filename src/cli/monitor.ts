// rdma monitor [-j]: device events as they happen, until SIGINT or SIGTERM
// (or, on replay, the end of the recording). The socket is read with a short
// timeout and the event loop gets a turn between reads, so the signal
// handlers run and the socket is closed before a clean exit 0.
import { RunContext } from './context.js';
import { dispatch } from './grammar.js';
import { CliError } from './errors.js';
import { DeviceEvent, DeviceEvents, monitorSupported } from '../model/monitor.js';
import { formatEvent } from '../views/monitor.js';
import { TransportError } from '../transport/errors.js';
import { CMD, CMD_NAME, CMD_SINCE } from '../protocol/nldev-schema.js';

const USAGE = 'Usage: rdma-ts monitor [ -j ]\n';
/** How long one read may block the event loop: the worst-case delay before a signal is acted on. */
const POLL_MS = 200;
const ENOBUFS = 105;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Checks and subscribes synchronously (so a refusal is an ordinary exit status), then streams. */
function watch(ctx: RunContext): Promise<void> {
  if (!ctx.standalone) throw new CliError('rdma-ts: monitor runs on its own, not in batch mode or with --all-netns');
  if (!monitorSupported(ctx.rd)) {
    const since = CMD_SINCE[CMD.MONITOR]!.join('.');
    throw new CliError(`RDMA monitoring is not supported by the kernel\nhint: device events need Linux ${since} or newer ` +
      `(${CMD_NAME[CMD.MONITOR]}); this kernel is ${ctx.session.kernel}`);
  }
  return stream(ctx, new DeviceEvents(ctx.session));
}

async function stream(ctx: RunContext, events: DeviceEvents): Promise<void> {
  let stop = false;
  const onSignal = () => { stop = true; };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    while (!stop) {
      let batch: DeviceEvent[] | null;
      try {
        batch = events.next(POLL_MS);
      } catch (e) {
        if (!(e instanceof TransportError && e.errno === ENOBUFS)) throw e;
        // The kernel dropped events while we were behind: say so and keep listening.
        process.stderr.write('rdma-ts: some events were lost (socket receive buffer overrun, ENOBUFS)\n');
        batch = [];
      }
      if (batch === null) break;
      for (const e of batch) ctx.out.raw(formatEvent(e, ctx.opts.json));
      ctx.out.flush();
      await turn();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    events.close();
  }
}

export const monitorCommand = (ctx: RunContext, args: string[]) =>
  dispatch(ctx, args, [[null, watch], ['help', (c) => c.out.raw(USAGE)]], 'mon command');
