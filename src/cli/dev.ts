// rdma dev: show/list (write commands come with the operate issue).
import { RunContext } from './context.js';
import { CommandTable, dispatch } from './grammar.js';
import { printDevice } from '../views/dev.js';

function show(ctx: RunContext, args: string[]): void {
  ctx.out.begin(); // rdmatool opens the JSON array before resolving the device
  const devs = args.length ? [ctx.requireDevice(args[0])] : ctx.devices;
  for (const d of devs) printDevice(ctx.out, d, ctx.details);
}

function help(ctx: RunContext): void {
  ctx.out.raw('Usage: rdma-ts dev\n          rdma-ts dev [ show | list ] [DEV]\n');
}

const TABLE: CommandTable<RunContext> = [[null, show], ['show', show], ['list', show], ['help', help]];

export const devCommand = (ctx: RunContext, args: string[]) => dispatch(ctx, args, TABLE, 'command');
