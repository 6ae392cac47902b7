// The lab's quoting (src/lab/quote.ts): paths from the checkout and
// RDMA_TS_LAB_CACHE reach sh and QEMU's option parser only through these.
// The lab tier runs `rdma-ts lab run` from such paths for real (test/lab/run.ts).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { shellQuote, qemuValue } from '../src/lab/quote.js';

const NASTY = ['/var/tmp/rdma-ts lab, it\'s "odd"/cache, too', "it's", '"', "''", '$(touch /tmp/pwned)', '`id`', 'a b\tc\nd',
  '-n', '*', '~root', 'x;y|z&', '\\', '', 'plain/path-1.2_x', 'ü'];

test('a quoted word reaches sh as exactly one argument, unexpanded', (t) => {
  for (const w of NASTY) {
    const r = spawnSync('sh', ['-c', `printf '%s\\0' ${shellQuote(w)}`], { encoding: 'utf8' });
    t.is(r.stdout, `${w}\0`, JSON.stringify(w));
  }
});

test('plain words stay unquoted (readable guest scripts)', (t) => {
  t.is(shellQuote('/var/tmp/rdma-ts-lab/kernels/6.1.0-56-amd64'), '/var/tmp/rdma-ts-lab/kernels/6.1.0-56-amd64');
  t.is(shellQuote('a b'), "'a b'");
  t.is(shellQuote("it's"), "'it'\\''s'");
});

test('QEMU option values: a comma is doubled, nothing else changes', (t) => {
  t.is(qemuValue('/var/tmp/a,b,,c'), '/var/tmp/a,,b,,,,c');
  t.is(qemuValue('/var/tmp/it\'s "odd" dir'), '/var/tmp/it\'s "odd" dir');
});
