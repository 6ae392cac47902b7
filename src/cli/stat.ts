// rdma statistic: port counters, QP counters and their mode, optional counters.
import { RunContext, parseDevPort, findDevArg, everyLink, LinkSelection } from './context.js';
import { CommandTable, dispatch, matches } from './grammar.js';
import { CliError } from './errors.js';
import { buildFilters, accepts, FilterKey } from './filters.js';
import {
  getPortCounters, dumpQpCounters, getQpCounterMode, getCounterStatus, dumpMrCounters, toCounters,
} from '../model/stat.js';
import { qpSet, qpBind, qpUnbind, statSet, statUnset, STAT_WRITE_USAGE } from './stat-set.js';
import { printPortCounters, printQpCounter, printQpMode, printCounterStatus } from '../views/stat.js';
import { printDev, printNum } from '../views/fields.js';
import { qpTypeName } from '../protocol/enums.js';
import { A } from '../protocol/nldev-schema.js';
import type { Attrs } from '../protocol/codec.js';

/** Every (device, port) pair, or the ones `link DEV[/PORT]` selects; `DEV/-` selects none (rdmatool prints nothing). */
function linkTargets(ctx: RunContext, args: string[]): LinkSelection[] {
  const arg = findDevArg(args);
  return arg !== undefined ? [parseDevPort(ctx, arg, false)] : everyLink(ctx);
}

function showLinks(ctx: RunContext, args: string[]): void {
  ctx.out.begin();
  const targets = linkTargets(ctx, args);
  for (const t of targets) for (const p of t.ports) printPortCounters(ctx.out, getPortCounters(ctx.rd, t.device.index, p));
}

const MR_FILTERS: FilterKey[] = [{ name: 'mrn', numeric: true }];

function showMr(ctx: RunContext, args: string[]): void {
  const filters = buildFilters(args, MR_FILTERS);
  ctx.out.begin();
  for (const d of ctx.devices) {
    for (const tb of dumpMrCounters(ctx.rd, d.index)) {
      for (const e of (tb[A.RES_MR] ?? []) as Attrs[]) {
        if (!accepts(filters, MR_FILTERS, () => e[A.RES_MRN])) continue;
        ctx.out.openRecord();
        printDev(ctx.out, tb[A.DEV_INDEX], tb[A.DEV_NAME]);
        printNum(ctx.out, 'mrn', e[A.RES_MRN]);
        for (const c of toCounters(e[A.STAT_HWCOUNTERS])) ctx.out.kv(c.name, `${c.name} ${c.value} `, c.value);
        ctx.out.closeRecord(false);
      }
    }
  }
}

const SHOW: CommandTable<RunContext> = [[null, showLinks], ['link', (c, a) => showLinks(c, ['link', ...a])], ['mr', showMr]];

const QP_FILTERS: FilterKey[] = [
  { name: 'link', numeric: false, inert: true }, { name: 'cntn', numeric: true }, { name: 'lqpn', numeric: true },
  { name: 'pid', numeric: true }, { name: 'qp-type', numeric: false },
];

function qpShow(ctx: RunContext, args: string[]): void {
  // iproute2 6.1 takes only `link DEV/PORT` here; filters came later.
  if (!ctx.out.opts.layout.statQpFilters && args.length && !matches(args[0], 'link')) {
    throw new CliError(`Unknown parameter '${args[0]}'.`);
  }
  const filters = buildFilters(args, QP_FILTERS);
  ctx.out.begin();
  const targets = linkTargets(ctx, args);
  for (const t of targets) {
    const explicit = targets.length === 1 && findDevArg(args) !== undefined && t.ports.length === 1 ? t.ports[0] : undefined;
    for (const c of dumpQpCounters(ctx.rd, t.device.index, explicit)) {
      const keep = accepts(filters, QP_FILTERS, (k) =>
        k === 'cntn' ? c.id : k === 'pid' ? c.pid : k === 'qp-type' ? (c.qpType === undefined ? undefined : qpTypeName(c.qpType))
          : k === 'lqpn' ? c.lqpns : undefined,
      );
      if (keep) printQpCounter(ctx.out, c, c.comm ?? (c.pid !== undefined ? ctx.comm(c.pid) : undefined));
    }
  }
}

function qpMode(ctx: RunContext, args: string[]): void {
  ctx.out.begin();
  const targets = linkTargets(ctx, args);
  for (const t of targets) for (const p of t.ports) printQpMode(ctx.out, getQpCounterMode(ctx.rd, t.device.index, p));
}

export const STAT_QP_COMMANDS: CommandTable<RunContext> = [
  [null, qpShow], ['show', qpShow], ['list', qpShow], ['mode', qpMode], ['set', qpSet], ['bind', qpBind], ['unbind', qpUnbind],
];

function mode(ctx: RunContext, args: string[]): void {
  let supported = false;
  if (args[0] !== undefined && 'supported'.startsWith(args[0]) && args[0] !== '') {
    supported = true;
    args = args.slice(1);
  } else if (args[0] === 'show' || args[0] === 'list') args = args.slice(1);
  ctx.out.begin();
  const targets = linkTargets(ctx, args);
  for (const t of targets) for (const p of t.ports) printCounterStatus(ctx.out, getCounterStatus(ctx.rd, t.device.index, p), supported);
}

function help(ctx: RunContext): void {
  ctx.out.raw(
    'Usage: rdma-ts statistic [show] [link DEV[/PORT]]\n' +
      '       rdma-ts statistic show mr [mrn N]\n' +
      '       rdma-ts statistic qp [show] [link DEV/PORT] [FILTER-NAME FILTER-VALUE]\n' +
      '       rdma-ts statistic qp mode [link DEV/PORT]\n' +
      '       rdma-ts statistic mode [supported] [link DEV/PORT]\n' +
      STAT_WRITE_USAGE,
  );
}

export const STAT_COMMANDS: CommandTable<RunContext> = [
  [null, showLinks],
  ['show', (c, a) => dispatch(c, a, SHOW, 'parameter')],
  ['list', (c, a) => dispatch(c, a, SHOW, 'parameter')],
  ['qp', (c, a) => dispatch(c, a, STAT_QP_COMMANDS, 'parameter')],
  ['mr', showMr],
  ['mode', mode],
  ['set', statSet],
  ['unset', statUnset],
  ['help', help],
];

export const statCommand = (ctx: RunContext, args: string[]) => dispatch(ctx, args, STAT_COMMANDS, 'statistic command');
