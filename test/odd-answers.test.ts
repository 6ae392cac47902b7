// Answers a kernel should not give, and arguments a user should not type:
// each ends in a specific message on stderr and exit 1, never a TypeError, a
// stack or a silently wrong request. The odd answers are a real 6.1 recording
// (fixtures/lab/6.1.0-56-amd64/rping/link.json) with one exchange's replies
// changed; no real kernel answers a PORT_GET doit this way, which is why the
// lab cannot show it.
import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, rdmaTs } from './support/cli.js';

const LAB = resolve(ROOT, 'fixtures/lab/6.1.0-56-amd64/rping');
const dir = mkdtempSync(join(tmpdir(), 'rdmats-odd-'));

interface Exchange { request: string; replies: string[] }
/** link.json with the first PORT_GET's replies replaced. */
function linkWith(replies: (real: string[]) => string[]): string {
  const rec = JSON.parse(readFileSync(join(LAB, 'link.json'), 'utf8')) as { exchanges: Exchange[] };
  const x = rec.exchanges.find((e) => Buffer.from(e.request, 'hex').readUInt16LE(4) === ((5 << 10) | 5)); // RDMA_NL_NLDEV << 10 | PORT_GET
  x!.replies = replies(x!.replies);
  const file = join(dir, `link-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(rec));
  return file;
}
const noStack = (stderr: string) => !/TypeError|\n\s+at /.test(stderr);

test('a doit answered with the ACK alone names the command, exit 1', (t) => {
  const rec = linkWith((real) => real.slice(-1)); // the ACK only
  const r = rdmaTs(['--replay', rec, 'link']);
  t.is(r.status, 1);
  t.is(r.stderr, 'rdma-ts: RDMA_NLDEV_CMD_PORT_GET: the kernel answered with an ACK and no message\n');
  t.true(noStack(r.stderr));
});

test('an NLMSG_ERROR too short for its error code is a framing error, not an ACK', (t) => {
  const rec = linkWith((real) => {
    const ack = Buffer.from(real.at(-1)!, 'hex');
    const bare = Buffer.from(ack.subarray(0, 16)); // the header alone: no errno
    bare.writeUInt32LE(16, 0);
    return [bare.toString('hex')];
  });
  const r = rdmaTs(['--replay', rec, 'link']);
  t.is(r.status, 1);
  t.is(r.stderr, 'rdma-ts: NLMSG_ERROR with a 0-byte payload: too short for its error code\n');
});

test('numbers past u32 are refused, not wrapped: lqpn 4294967313 is not QP 17', (t) => {
  const rec = join(LAB, 'link.json');
  const bind = rdmaTs(['--replay', rec, '--dry-run', 'stat', 'qp', 'bind', 'link', 'rxe0/1', 'lqpn', '4294967313']);
  t.is(bind.status, 1);
  t.is(bind.stdout, '');
  t.is(bind.stderr, "lqpn takes a number from 0 to 4294967295, not '4294967313'\n");
  const ok = rdmaTs(['--replay', rec, '--dry-run', 'stat', 'qp', 'bind', 'link', 'rxe0/1', 'lqpn', '4294967295']);
  t.regex(ok.stdout, /RES_LQPN 4294967295,/);
  const show = rdmaTs(['--replay', join(LAB, 'qp.json'), 'res', 'show', 'qp', 'lqpn', '4294967313']);
  t.is(show.status, 1);
  t.is(show.stderr, "lqpn takes a number from 0 to 4294967295, not '4294967313'\n");
});

test('main() never throws: an empty netns name and a bad option on a batch line are reported, with their status', (t) => {
  const empty = rdmaTs(['-n', '', 'dev']);
  t.is(empty.status, 1);
  t.is(empty.stderr, 'rdma-ts: empty network namespace name\n');
  const batch = join(dir, 'batch.txt');
  writeFileSync(batch, 'dev\n-q dev\ndev\n');
  for (const force of [false, true]) {
    const r = rdmaTs(['--replay', join(LAB, 'dev.json'), ...(force ? ['-f'] : []), '-b', batch]);
    t.is(r.status, 1);
    t.true(r.stderr.startsWith("rdma-ts: invalid option -- 'q'\nUsage: rdma-ts"), r.stderr);
    t.true(r.stderr.includes(`Command failed ${batch}:2\n`), r.stderr);
    t.is(r.stderr.includes(`Command failed ${batch}:3\n`), force, 'line 3 runs only with -f');
    t.true(noStack(r.stderr));
    // Without -force the batch stops at line 2; with it, line 3 runs too (the recording answers one `dev`, so line 3 fails on replay).
    t.is(r.stdout.split('\n').filter((l) => l.startsWith('0: rxe0')).length, 1);
  }
});
