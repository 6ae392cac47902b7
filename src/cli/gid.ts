// rdma-ts gid [show] [DEV[/PORT]] [type v1|v2]: GID tables with owners,
// capacity and the IPs that got no GID (docs/gids.md). Not an rdmatool object.
import { RunContext } from './context.js';
import { CliError } from './errors.js';
import { matches } from './grammar.js';
import { surveyGids, UnknownGidDevice } from '../model/gid-survey.js';
import { allScopes, ownScope } from '../model/netns-scope.js';
import { RoceVersion } from '../model/gid-table.js';
import { printGidsJson, printGidsText } from '../views/gid.js';

export const GID_USAGE = 'Usage: rdma-ts [ -j ] [ -n NETNS | --all-netns ] gid [ show ] [ DEV[/PORT] ] [ type v1|v2 ]\n'
  + '  Every GID table entry with the namespace, netdev and container that own it; per port the\n'
  + '  table size, use, how many more IPs fit with RoCE v1 on and off, rdma_cm\'s RoCE mode, and the\n'
  + '  IPs (of the port\'s netdev or a macvlan/ipvlan/vlan on it, in any namespace) that have no GID.\n';

interface GidArgs {
  dev?: string;
  port?: number;
  type?: RoceVersion;
}

function parseArgs(args: string[]): GidArgs {
  const o: GidArgs = {};
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w === 'type') {
      const v = args[++i];
      const t = v === 'v1' || v === 'IB/RoCE v1' ? 'v1' : v === 'v2' || v === 'RoCE v2' ? 'v2' : undefined;
      if (!t) throw new CliError(`gid: type must be v1 or v2, not ${v === undefined ? 'nothing' : `'${v}'`}`);
      o.type = t;
    } else if (o.dev === undefined) {
      const m = /^([^/\s]+)(?:\/(\d*))?$/.exec(w);
      if (!m || (m[2] !== undefined && m[2] !== ''
        && !/^[1-9]\d*$/.test(m[2]))) throw new CliError(`gid: '${w}' is not DEV or DEV/PORT (for example mlx5_0/1)`);
      o.dev = m[1];
      if (m[2]) o.port = Number(m[2]);
    } else throw new CliError(`gid: unexpected '${w}'\n${GID_USAGE}`);
  }
  return o;
}

function show(ctx: RunContext, args: string[]): void {
  const a = parseArgs(args);
  const scopes = ctx.opts.allNetns ? allScopes(ctx.session) : [ownScope(ctx.session, ctx.opts.netns)];
  let ports;
  try {
    ports = surveyGids(ctx.session, { scopes, dev: a.dev, port: a.port });
  } catch (e) {
    if (e instanceof UnknownGidDevice) throw new CliError(`gid: ${e.message}`);
    throw e;
  }
  if (ctx.opts.json) printGidsJson(ctx.out, ports, { type: a.type });
  else printGidsText(ctx.out, ports, { type: a.type });
}

export function gidCommand(ctx: RunContext, args: string[]): void {
  const [w, ...rest] = args;
  if (w !== undefined && matches(w, 'help')) return ctx.out.raw(GID_USAGE);
  if (w !== undefined && (matches(w, 'show') || matches(w, 'list'))) return show(ctx, rest);
  return show(ctx, args);
}
