// Why `system set netns` got EBUSY: the namespaces that exist, and the way out.
import type { NetnsInventory } from '../model/namespaces.js';
import { NETNS_RUN_DIR } from '../transport/netns.js';

export function describeBlockers(inv: NetnsInventory, mode: string): string {
  const lines = ['the netns mode can change only while no network namespace other than the initial one exists.'];
  if (!inv.named.length && !inv.unnamed.length) {
    lines.push('  none is visible from here now (one may have been freed meanwhile, or is held outside /proc); try again.');
  } else {
    lines.push('  These exist now:');
    for (const n of inv.named) lines.push(`    named   ${n.name} (${NETNS_RUN_DIR}/${n.name}, net:[${n.inode}])`);
    for (const u of inv.unnamed) {
      const who = u.holders.slice(0, 5).map((h) => `PID ${h.pid} (${h.comm})`).join(', ');
      lines.push(`    unnamed net:[${u.inode}], held by ${who}${u.holders.length > 5 ? `, and ${u.holders.length - 5} more` : ''}`);
    }
  }
  lines.push(`  Delete the named ones (ip netns delete NAME) and stop the holders of the unnamed ones, then run the command again;`);
  lines.push(`  or make ${mode} the mode from the next boot: rdma-ts system set netns ${mode} --persist`);
  return lines.join('\n');
}
