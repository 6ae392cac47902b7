// rdma-ts [-n NS | --all-netns] exporter [--listen ADDR:PORT] [--timeout SECONDS]:
// a Prometheus endpoint at /metrics. Read-only. Runs until SIGINT or SIGTERM.
import { RunContext } from './context.js';
import { CliError } from './errors.js';

export const EXPORTER_USAGE = 'Usage: rdma-ts [ -n NETNS | --all-netns ] exporter [ --listen ADDR:PORT ] [ --timeout SECONDS ]\n'
  + '  A Prometheus endpoint (GET /metrics, default --listen 0.0.0.0:9879): node_exporter\'s\n'
  + '  node_infiniband_* port counters, driver and netdev counters, bound QP counters labelled with\n'
  + '  pid, comm, container, pod and netns, GID table and RDMA cgroup gauges. Read-only. A reading\n'
  + '  slower than --timeout (default 10) is answered with the last values and rdma_exporter_stale 1.\n';

export const DEFAULT_LISTEN = '0.0.0.0:9879';

export function parseListen(v: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(v);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new CliError(`exporter: --listen takes ADDR:PORT (0.0.0.0:9879, [::1]:9879, :9879; port 0: any ` +
    `free one), not '${v}'`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export function exporterCommand(ctx: RunContext, args: string[]): Promise<void> | void {
  let listen = DEFAULT_LISTEN;
  let timeout = 10;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') && args[i].includes('=') ? [args[i].slice(0, args[i].indexOf('=')),
      args[i].slice(args[i].indexOf('=') + 1)] : [args[i], undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new CliError(`exporter: ${flag} needs a value\n${EXPORTER_USAGE}`);
      return v;
    };
    if (flag === '--listen') listen = value();
    else if (flag === '--timeout') {
      const v = value();
      timeout = Number(v);
      if (!/^\d+(\.\d+)?$/.test(v) || timeout < 0.1
        || timeout > 600) throw new CliError(`exporter: --timeout takes 0.1 to 600 seconds, not '${v}'`);
    } else if (flag === 'help' || flag === '--help') return ctx.out.raw(EXPORTER_USAGE);
    else throw new CliError(`exporter: unknown option '${args[i]}'\n${EXPORTER_USAGE}`);
  }
  if (!ctx.standalone) throw new CliError('exporter runs on its own, not in batch mode');
  const { host, port } = parseListen(listen);
  const log = (m: string) => process.stderr.write(`exporter: ${m}\n`);
  if (ctx.opts.record) ctx.session.handOverRecording(); // the worker's session records
  // Loaded here, not at start-up: the server brings prom-client, node:http and the worker, which
  // every other command would otherwise pay for.
  return import('./exporter/server.js').then(({ startExporter }) => startExporter({ host, port, timeoutMs: timeout * 1000,
    netns: ctx.session.netns, allNetns: ctx.opts.allNetns,
    replay: ctx.opts.replay, record: ctx.opts.record }, log).then((ex) => {
    const a = ex.server.address();
    const bound = typeof a === 'object' && a ? { host: a.family === 'IPv6' ? `[${a.address}]` : a.address, port: a.port } : { host, port };
    log(`listening on http://${bound.host}:${bound.port}/metrics`);
    return new Promise<void>((resolve) => {
      const stop = () => void ex.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  }, (e: NodeJS.ErrnoException) => {
    const why = e.code === 'EADDRINUSE' ? 'the address is in use'
      : e.code === 'EACCES' ? 'permission denied (a port below 1024 needs root)' : e.message;
    throw new CliError(`exporter: cannot listen on ${listen}: ${why}`);
  }));
}
