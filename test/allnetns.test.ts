// --all-netns against real named namespaces on this kernel. Without RDMA in
// the kernel each namespace reports the missing NETLINK_RDMA under its header.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { rdmaTs } from './support/cli.js';
import { socket } from './support/host.js';

const names = [`rdmats-a${process.pid}`, `rdmats-b${process.pid}`];

const noRdma = socket('rdma') !== 0;
(noRdma ? test.serial : test.skip)(`--all-netns visits every named namespace in order, header per ` +
  `namespace${noRdma ? '' : ' (skipped: this kernel has RDMA netlink; the lab covers the populated case)'}`, (t) => {
  for (const n of names) execFileSync('ip', ['netns', 'add', n]);
  try {
    const r = rdmaTs(['--all-netns', 'dev']);
    t.is(r.status, 1);
    for (const n of names) t.true(r.stdout.includes(`netns ${n}:\n`), r.stdout);
    t.true(r.stdout.indexOf(`netns ${names[0]}:`) < r.stdout.indexOf(`netns ${names[1]}:`));
    t.true((r.stderr.match(/no RDMA netlink/g) ?? []).length >= names.length);
    const j = rdmaTs(['--all-netns', '-j', 'dev']);
    t.is(j.stdout, '[]\n', 'JSON stays one valid array across namespaces');
  } finally {
    for (const n of names) execFileSync('ip', ['netns', 'del', n]);
  }
});
