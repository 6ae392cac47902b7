import { Output } from './output.js';
import type { SystemSettings } from '../model/system.js';
import type { BootNetnsMode } from '../model/boot-config.js';
import { onOffName } from '../protocol/enums.js';

/**
 * `netns shared copy-on-fork on`. rdmatool prints this as text even with -j
 * (it never opens a JSON context for `system show`), so this does too.
 */
export function printSystem(out: Output, s: SystemSettings, boot?: BootNetnsMode): void {
  const l = out.opts.layout;
  let line = '';
  if (s.netnsMode !== undefined) line += `netns ${s.netnsMode ? 'shared' : 'exclusive'} `;
  // rdma-ts only, and only when they differ: what the next boot will use.
  if (boot) line += `netns-at-boot ${boot.mode ? 'shared' : 'exclusive'} (${boot.source}) `;
  if (l.sysPrivilegedQkey && s.privilegedQkey !== undefined) line += `privileged-qkey ${onOffName(s.privilegedQkey)} `;
  // iproute2 7.1 prints monitor whether or not the kernel sent it (off when absent: before 6.13), lab-checked.
  if (l.sysMonitor) line += `monitor ${onOffName(s.monitorMode ?? 0)} `;
  if (s.copyOnFork !== undefined) line += `copy-on-fork ${onOffName(s.copyOnFork)}`;
  out.raw(line + out.sl); // print_nl(): `\` with -o
}
