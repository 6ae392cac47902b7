// rdma system: show.
import { RunContext } from './context.js';
import { CommandTable, dispatch } from './grammar.js';
import { getSystem } from '../model/system.js';
import { printSystem } from '../views/sys.js';

function show(ctx: RunContext): void {
  printSystem(ctx.out, getSystem(ctx.rd));
}

function help(ctx: RunContext): void {
  ctx.out.raw('Usage: rdma-ts system show\n');
}

const TABLE: CommandTable<RunContext> = [[null, show], ['show', show], ['list', show], ['help', help]];

export const sysCommand = (ctx: RunContext, args: string[]) => dispatch(ctx, args, TABLE, 'command');
