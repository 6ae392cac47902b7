import { Output } from './output.js';
import type { SystemSettings } from '../model/system.js';
import { onOff } from './names.js';

/**
 * `netns shared copy-on-fork on`. rdmatool prints this as text even with -j
 * (it never opens a JSON context for `system show`), so this does too.
 */
export function printSystem(out: Output, s: SystemSettings): void {
  const l = out.opts.layout;
  let line = '';
  if (s.netnsMode !== undefined) line += `netns ${s.netnsMode ? 'shared' : 'exclusive'} `;
  if (l.sysPrivilegedQkey && s.privilegedQkey !== undefined) line += `privileged-qkey ${onOff(s.privilegedQkey)} `;
  if (l.sysMonitor && s.monitorMode !== undefined) line += `monitor ${onOff(s.monitorMode)} `;
  if (s.copyOnFork !== undefined) line += `copy-on-fork ${onOff(s.copyOnFork)}`;
  out.raw(line + '\n');
}
