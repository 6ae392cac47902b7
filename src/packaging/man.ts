// Man pages from the oclif manifest, the source `--help` renders: rdma-ts(8) with the global
// usage and one line per object, and rdma-ts-OBJECT(8) per object (its usage lines, description,
// examples and alias).
import type { Manifest } from './manifest.js';

type Cmd = Manifest['commands'][string];

/** roff text: backslashes, hyphens (so that options copy as ASCII) and a leading dot or quote escaped. */
export function roff(text: string): string {
  return text.replace(/\\/g, '\\e').replace(/-/g, '\\-').split('\n').map((l) => (/^[.']/.test(l) ? `\\&${l}` : l)).join('\n');
}

const header = (name: string, version: string, date: string) =>
  `.TH ${name.toUpperCase()} 8 "${date}" "rdma-ts ${version}" "System Administration"\n`;

/** The object pages: `.B` usage lines (the description up to its first blank line), then the rest. */
export function objectPage(cmd: Cmd, version: string, date: string): string {
  const [usage, ...rest] = (cmd.description ?? '').split('\n\n');
  const aliases = [...(cmd.aliases ?? []), ...((cmd as { hiddenAliases?: string[] }).hiddenAliases ?? [])];
  let s = header(`rdma-ts-${cmd.id}`, version, date);
  s += `.SH NAME\nrdma-ts-${cmd.id} \\- ${roff(cmd.summary ?? '')}\n`;
  s += `.SH SYNOPSIS\n${usage.split('\n').map((l) => `\\fB${roff(l)}\\fR\n.br`).join('\n')}\n`;
  if (rest.length) s += `.SH DESCRIPTION\n${rest.map((p) => roff(p)).join('\n.PP\n')}\n`;
  if (aliases.length) s += `.SH ALIASES\n${aliases.map((a) => `.B rdma-ts ${a}`).join('\n.br\n')}\n`;
  const examples = (cmd.examples ?? []).map((e) => (typeof e === 'string' ? e : e.command));
  if (examples.length) s += `.SH EXAMPLES\n${examples.map((e) => `.nf\n${roff(e)}\n.fi`).join('\n')}\n`;
  s += `.SH SEE ALSO\n.BR rdma-ts (8),\n.BR rdma (8)\n`;
  return s;
}

/** rdma-ts(8): the usage `rdma-ts --help` prints, and each object with its summary and page. */
export function mainPage(manifest: Manifest, usage: string, version: string, date: string): string {
  const objects = Object.values(manifest.commands).filter((c) => !c.hidden).sort((a, b) => a.id.localeCompare(b.id));
  let s = header('rdma-ts', version, date);
  s += '.SH NAME\nrdma-ts \\- RDMA devices, links, resources and counters over RDMA netlink, namespace-aware and ' +
    'rdmatool-compatible\n';
  s += `.SH SYNOPSIS\n.nf\n${roff(usage.trimEnd())}\n.fi\n`;
  s += '.SH DESCRIPTION\nrdma-ts speaks the kernel\'s RDMA netlink and rtnetlink directly, inside any network namespace. ' +
    'Every rdmatool command line works and prints what iproute2 prints (the 7.1 layout; \\fB--compat 6.1\\fR for ' +
    'iproute2 6.1); the objects below add namespace moves, GID and cgroup control, a doctor, a live-counter TUI and a ' +
    'Prometheus exporter.\n';
  s += `.SH OBJECTS\n${objects.map((c) => `.TP\n.B ${c.id}\n${roff(c.summary ?? '')} See\n.BR rdma-ts-${c.id} (8).`).join('\n')}\n`;
  s += '.SH EXIT STATUS\n0 on success; 1 on any error, with the reason on standard error (an unknown keyword too, ' +
    'unlike rdmatool); 125 when \\fBrdma-ts lab\\fR could not start its lab.\n';
  s += `.SH SEE ALSO\n${objects.map((c) => `.BR rdma-ts-${c.id} (8),`).join('\n')}\n.BR rdma (8),\n.BR ip-netns (8)\n`;
  return s;
}

/** Every page: file name -> roff text. */
export function manPages(manifest: Manifest, usage: string, version: string, date: string): Record<string, string> {
  const pages: Record<string, string> = { 'rdma-ts.8': mainPage(manifest, usage, version, date) };
  for (const c of Object.values(manifest.commands)) if (!c.hidden) pages[`rdma-ts-${c.id.replace(/:/g, '-')}.8`] = objectPage(c, version,
    date);
  return pages;
}
