// A process's comm is /proc/PID/comm up to its newline, spaces and all, as rdmatool's
// get_task_name() reads it (fgets, then the newline cut). Firefox's `Web Content` and
// Chrome's `Chrome_ChildIOT` style names are common; rdma-ts printed only `Web`.
import test from 'ava';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rdmaTs } from './support/cli.js';
import { qpDumpRecording } from './support/qp-recording.js';

const rec = join(mkdtempSync(join(tmpdir(), 'rdmats-comm-')), 'qp.json');
writeFileSync(rec, JSON.stringify(qpDumpRecording(2, 'Web Content')));

test('res show qp: a comm with a space is printed whole, in text and in JSON', (t) => {
  const text = rdmaTs(['--replay', rec, 'res', 'show', 'qp']);
  t.is(text.status, 0, text.stderr);
  t.deepEqual(text.stdout.split('\n').filter(Boolean).map((l) => l.slice(l.indexOf(' pid '))), [' pid 1000 comm Web Content ',
    ' pid 1001 comm Web Content ']);
  const json = rdmaTs(['--replay', rec, '-j', 'res', 'show', 'qp']);
  t.deepEqual((JSON.parse(json.stdout) as Array<{ comm: string }>).map((r) => r.comm), ['Web Content', 'Web Content']);
});
