// Seeds for the fuzzer: every datagram a real kernel sent in the lab
// recordings (fixtures/lab/KERNEL/SCENARIO/*.json), and the netlink-only
// recordings themselves with their command lines, for the whole pipeline.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';

export interface SeedRecording {
  file: string;
  argv: string[];
  /** Replies per request, in order: what the kernel answered. */
  replies: Buffer[][];
}

/** Objects whose commands read only netlink (no sysfs, /proc or cgroupfs host reads). */
const NETLINK_ONLY = /^(dev|link|res|resource|stat|statistic|sys|system)$/;

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (name.endsWith('.json') && !/\.(out|rdma)\.json$/.test(name)) yield p;
  }
}

export function loadCorpus(): { datagrams: Buffer[]; recordings: SeedRecording[] } {
  const seen = new Set<string>();
  const datagrams: Buffer[] = [];
  const recordings: SeedRecording[] = [];
  for (const file of files(join(ROOT, 'fixtures/lab'))) {
    const rec = JSON.parse(readFileSync(file, 'utf8')) as { argv?: string[]; exchanges?: Array<{ protocol: string; replies: string[] }> };
    const rdma = (rec.exchanges ?? []).filter((x) => x.protocol === 'rdma');
    for (const x of rdma) {
      for (const hex of x.replies) {
        // Large dumps (the 2001-QP scale recording) are kept whole once; their many similar datagrams add little.
        if (seen.has(hex) || datagrams.length > 4000) continue;
        seen.add(hex);
        datagrams.push(Buffer.from(hex, 'hex'));
      }
    }
    const argv = rec.argv ?? [];
    const object = argv.find((w) => !w.startsWith('-'));
    if (object && NETLINK_ONLY.test(object) && rdma.length === (rec.exchanges ?? []).length && rdma.length < 50) {
      recordings.push({ file, argv, replies: rdma.map((x) => x.replies.map((h) => Buffer.from(h, 'hex'))) });
    }
  }
  return { datagrams, recordings };
}
