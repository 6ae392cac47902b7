// Global options: rdmatool's getopt_long(":Vhdrpjfb:") set, GNU-style
// (options may follow the object words), plus rdma-ts's own long options.
import { UsageError, CliError } from './errors.js';
import { COMPAT_NAMES } from '../views/layout.js';

export interface GlobalOptions {
  version: boolean;
  help: boolean;
  json: boolean;
  pretty: boolean;
  oneline: boolean;
  details: number;
  raw: boolean;
  force: boolean;
  batch?: string;
  netns?: string;
  allNetns: boolean;
  compat?: string;
  record?: string;
  replay?: string;
  debug: boolean;
  /** Write commands: print the requests instead of sending them. */
  dryRun: boolean;
  /** dev set DEV netns NS: move the port netdevs too. */
  withNetdev: boolean;
  /** system set netns: also write the boot-time setting to /etc/modprobe.d. */
  persist: boolean;
  /** Answer yes to confirmations. */
  yes: boolean;
}

const SHORT_FLAGS: Record<string, keyof GlobalOptions> = {
  V: 'version', h: 'help', j: 'json', p: 'pretty', o: 'oneline', r: 'raw', f: 'force',
};
const LONG_FLAGS: Record<string, keyof GlobalOptions> = {
  version: 'version', help: 'help', json: 'json', pretty: 'pretty', oneline: 'oneline', raw: 'raw',
  force: 'force', 'all-netns': 'allNetns', debug: 'debug', 'dry-run': 'dryRun', 'with-netdev': 'withNetdev',
  persist: 'persist', yes: 'yes',
};
const LONG_VALUES: Record<string, keyof GlobalOptions> = {
  batch: 'batch', netns: 'netns', compat: 'compat', record: 'record', replay: 'replay',
};

/**
 * Objects with options of their own: after the object word, an option that is
 * not a global one is passed on among the args (`top -i 2 -c 5`) instead of
 * being refused.
 */
const OWN_OPTIONS = ['top', 'exporter'];

export function parseGlobalOptions(argv: string[]): { opts: GlobalOptions; args: string[] } {
  const opts: GlobalOptions = {
    version: false, help: false, json: false, pretty: false, oneline: false, details: 0, raw: false,
    force: false, allNetns: false, debug: false, dryRun: false, withNetdev: false, persist: false, yes: false,
      compat: process.env.RDMA_TS_COMPAT || undefined,
  };
  const args: string[] = [];
  const set = (k: keyof GlobalOptions, v: unknown) => ((opts as unknown as Record<string, unknown>)[k] = v);
  const passOn = () => args.length > 0 && OWN_OPTIONS.some((o) => args[0] !== '' && o.startsWith(args[0]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (name === 'details') { opts.details++; continue; }
      const match = (table: Record<string, keyof GlobalOptions>) => {
        const exact = table[name];
        if (exact) return exact;
        const hits = Object.keys(table).filter((k) => k.startsWith(name));
        return hits.length === 1 ? table[hits[0]] : undefined;
      };
      const flag = match(LONG_FLAGS);
      if (flag && eq < 0) { set(flag, true); continue; }
      const valued = match(LONG_VALUES);
      if (valued) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`option '--${name}' requires an argument`);
        set(valued, v);
        continue;
      }
      if (passOn()) {
        args.push(a);
        continue;
      }
      throw new UsageError(`unrecognized option '${a}'`);
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (c === 'd') opts.details++;
        else if (SHORT_FLAGS[c]) set(SHORT_FLAGS[c], true);
        else if (c === 'b' || c === 'n') {
          const rest = a.slice(j + 1);
          const v = rest || argv[++i];
          if (v === undefined) throw new UsageError(`option requires an argument -- '${c}'`);
          set(c === 'b' ? 'batch' : 'netns', v);
          break;
        } else if (passOn()) {
          args.push(`-${a.slice(j)}`);
          break;
        } else throw new UsageError(`invalid option -- '${c}'`);
      }
      continue;
    }
    args.push(a);
  }
  checkCombination(opts);
  return { opts, args };
}

/** Values and combinations no command can run with. */
function checkCombination(o: GlobalOptions): void {
  if (o.compat !== undefined && !COMPAT_NAMES[o.compat]) {
    const from = process.env.RDMA_TS_COMPAT === o.compat ? 'RDMA_TS_COMPAT' : '--compat';
    throw new CliError(`${from} takes 6.1 (iproute2 6.1's layout) or upstream (7.x, the default), not '${o.compat}'`);
  }
  if (o.record !== undefined && o.replay !== undefined) throw new CliError('--record and --replay cannot be used together: a ' +
    'replay has no kernel to record');
  if (o.netns !== undefined && o.allNetns) throw new CliError('-n and --all-netns cannot be used together: -n runs in one ' +
    'namespace, --all-netns in every one');
}
