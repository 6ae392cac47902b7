// The top TUI through ink-testing-library, on a real recorded session (the
// lab's counters scenario: rxe0 with a pod's rping bound to a per-PID counter,
// siw0, rxe2): every view and every key.
import test from 'ava';
import { render } from 'ink-testing-library';
import { render as inkRender } from 'ink';
import { PassThrough, Writable } from 'node:stream';
import { TopApp } from '../src/views/top/tui/app.js';
import { replayObservations, topRecordings, testFeed, TestFeed } from './support/top-feed.js';
import { POD_LABEL } from './lab/top-cases.js';

const [recording] = topRecordings();
const observations = recording ? replayObservations(recording) : [];
const last = observations[observations.length - 1];

/** The screen's text without its SGR styling (inverse bars, bold, dim). */
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Lets ink handle the input and render (a key is handled after a few event loop turns). */
const settle = () => new Promise((r) => setTimeout(r, 30));

interface Ui {
  frame(): string;
  keys(...input: string[]): Promise<string>;
  feed: TestFeed;
  quits: number;
  /** Resizes the fake terminal (ink-testing-library's stdout has a read-only `columns`). */
  resize(columns: number): void;
  unmount(): void;
}

async function mount(columns = 140): Promise<Ui> {
  const feed = testFeed(last);
  const ui = { quits: 0 } as Ui;
  const r = render(<TopApp feed={feed} options={{}} onQuit={() => { ui.quits++; }} />);
  const stdout = r.stdout as unknown as NodeJS.EventEmitter;
  const resize = (n: number) => {
    Object.defineProperty(stdout, 'columns', { get: () => n, configurable: true });
    stdout.emit('resize');
  };
  resize(columns);
  await settle();
  return Object.assign(ui, {
    feed, resize, unmount: r.unmount,
    frame: () => plain(r.lastFrame() ?? ''),
    async keys(...input: string[]) {
      for (const i of input) {
        r.stdin.write(i);
        await settle();
      }
      if (!input.length) await settle();
      return plain(r.lastFrame() ?? '');
    },
  });
}

const TAB = '\t', ENTER = '\r', ESC = '\x1b', DOWN = '\x1b[B', UP = '\x1b[A', F6 = '\x1b[17~', SHIFT_TAB = '\x1b[Z';
const lines = (s: string) => s.split('\n');
const rowOf = (frame: string, start: string) => lines(frame).find((l) => l.startsWith(start));

test.serial('the recording exists for the TUI tests (npm run fixtures records it)', (t) => {
  t.truthy(recording, 'fixtures/lab/*/counters/top-json.json');
  t.true(observations.length >= 3, `${observations.length} samples`);
});

test.serial('Ports view: a row per port with state, netdev and rates, the totals, tabs and keys line', async (t) => {
  const ui = await mount();
  const f = ui.frame();
  t.regex(lines(f)[0], /^rdma-ts top \[Ports\] Counters {2}Processes {2}Namespaces {3}every 1 s$/);
  t.regex(f, /^DEV\/PORT NETNS STATE +RATE +NETDEV +RX B\/s +TX B\/s +RX pkt\/s +TX pkt\/s +ERR\/s +DISC\/s SRC/m);
  t.regex(rowOf(f, 'rxe0/1')!, /^rxe0\/1 +init +ACTIVE .* veth0 .* netdev *$/);
  t.truthy(rowOf(f, 'siw0/1'));
  t.regex(f, /^total /m);
  t.regex(lines(f).at(-1)!, /\?:help Tab:view Enter:detail/);
  ui.unmount();
});

test.serial('Tab walks Counters, Processes, Namespaces and back; Shift-Tab goes back', async (t) => {
  const ui = await mount();
  let f = await ui.keys(TAB);
  t.regex(lines(f)[0], /\[Counters\]/);
  t.regex(f, new RegExp(`^rxe0/1 +\\d+ +\\d+ rping +${POD_LABEL} +init `, 'm'), 'the pod\'s rping on its per-PID counter');
  t.regex(f, /rxe2\/1 \(netns init\) is not in QP counter auto mode \(off\)/, 'the notice with the command');
  f = await ui.keys(TAB);
  t.regex(lines(f)[0], /\[Processes\]/);
  t.regex(f, new RegExp(`^ *\\d+ rping +${POD_LABEL} +init +\\d+ +\\d+ +\\d+ +1 `, 'm'));
  t.regex(f, /\[ib_core\]/, 'kernel consumers too');
  f = await ui.keys(TAB);
  t.regex(lines(f)[0], /\[Namespaces\]/);
  t.regex(f, /^init +init +siw0,rxe0,rxe2 /m);
  f = await ui.keys(TAB);
  t.regex(lines(f)[0], /\[Ports\]/);
  f = await ui.keys(SHIFT_TAB);
  t.regex(lines(f)[0], /\[Namespaces\]/);
  ui.unmount();
});

test.serial('? and h show the help; any key closes it', async (t) => {
  const ui = await mount();
  for (const key of ['?', 'h']) {
    const f = await ui.keys(key);
    t.regex(f, /rdma-ts top: keys/);
    t.regex(f, /s {2}F6 {13}choose the sort column/);
    t.notRegex(await ui.keys('x'), /rdma-ts top: keys/);
  }
  ui.unmount();
});

test.serial('Enter opens every counter of the row with raw value, rate, source, width and unit; Esc closes', async (t) => {
  const ui = await mount();
  let f = await ui.keys(TAB, ENTER);
  t.regex(f, /^counter \d+ on rxe0\/1: \d QP\(s\) [\d,]+, pid \d+ \(rping\)$/m);
  t.regex(f, /^COUNTER +RAW +RATE\/s SOURCE +WIDTH UNIT$/m);
  t.regex(f, /^sent_pkts +\d+ +[\d.]+[kM]? +netlink +64 +packets$/m);
  t.regex(f, /^cgroup \/kubepods\.slice\//m);
  f = await ui.keys(ESC);
  t.notRegex(f, /^COUNTER /m);
  t.is(ui.quits, 0, 'Esc closes the pane, it does not quit');
  ui.unmount();
});

test.serial('arrows and j/k move the cursor: the detail pane follows the row', async (t) => {
  const ui = await mount();
  const order = lines(ui.frame()).filter((l) => /^(rxe|siw)\d\/1 /.test(l)).map((l) => l.split(' ')[0]);
  t.true(order.length >= 3, order.join());
  const detailOf = async (...k: string[]) => {
    const f = await ui.keys(...k, ENTER);
    await ui.keys(ESC);
    return /^(\S+\/\d) in netns/m.exec(f)?.[1];
  };
  t.is(await detailOf(), order[0]);
  t.is(await detailOf(DOWN), order[1]);
  t.is(await detailOf('j'), order[2]);
  t.is(await detailOf('k'), order[1]);
  t.is(await detailOf(UP), order[0]);
  ui.unmount();
});

test.serial('/ filters rows by text in the visible columns; Enter keeps, Esc clears', async (t) => {
  const ui = await mount();
  let f = await ui.keys('/', 's', 'i', 'w');
  t.regex(lines(f).at(-1)!, /^\/siw_/);
  t.truthy(rowOf(f, 'siw0/1'));
  t.falsy(rowOf(f, 'rxe0/1'));
  f = await ui.keys(ENTER);
  t.regex(lines(f).at(-1)!, /^filter "siw"/);
  t.falsy(rowOf(f, 'rxe0/1'));
  f = await ui.keys('/', 'zzz');
  t.regex(f, /no row contains "siwzzz"/);
  f = await ui.keys(ESC);
  t.truthy(rowOf(f, 'rxe0/1'), 'Esc cleared the filter');
  ui.unmount();
});

test.serial('s and F6 open the sort picker; Enter sorts by the column; r reverses', async (t) => {
  const ui = await mount();
  let f = await ui.keys('s');
  t.regex(f, /^Sort by/m);
  t.regex(f, /^> DEV\/PORT$/m);
  await ui.keys(ESC);
  f = await ui.keys(F6);
  t.regex(f, /^Sort by/m, 'F6 too');
  f = await ui.keys(ENTER);
  const names = () => lines(ui.frame()).filter((l) => /^(rxe|siw)\d\/1 /.test(l)).map((l) => l.split(' ')[0]);
  t.regex(f, /^DEV\/PORT\^ /m, 'ascending marker');
  t.deepEqual(names(), [...names()].sort());
  f = await ui.keys('r');
  t.regex(f, /^DEV\/PORTv /m, 'descending marker');
  t.deepEqual(names(), [...names()].sort().reverse());
  ui.unmount();
});

test.serial('Space and p pause, + and - change the interval (through the feed)', async (t) => {
  const ui = await mount();
  await ui.keys(' ');
  t.regex(lines(ui.frame())[0], /PAUSED$/);
  await ui.keys('p', '+', '-');
  t.deepEqual(ui.feed.actions, ['pause', 'pause', 'slower', 'faster']);
  ui.unmount();
});

test.serial('c groups the Processes view by container', async (t) => {
  const ui = await mount();
  let f = await ui.keys(TAB, TAB);
  t.regex(f, /^ *PID COMM /m);
  f = await ui.keys('c');
  t.regex(f, /^CONTAINER +PROCS +NETNS /m);
  t.regex(f, new RegExp(`^${POD_LABEL} +rping +init `, 'm'));
  ui.unmount();
});

test.serial('a new sample redraws; the cursor stays on its row', async (t) => {
  const ui = await mount();
  await ui.keys(DOWN);
  const before = ui.frame();
  ui.feed.show(observations[observations.length - 2]);
  await ui.keys();
  const after = ui.frame();
  t.not(before.split('\n')[1], after.split('\n')[1], 'the sample line changed');
  const f = await ui.keys(ENTER);
  t.regex(f, /^\S+\/1 in netns/m);
  ui.unmount();
});

test.serial('q, Esc and Ctrl-C quit', async (t) => {
  for (const key of ['q', ESC, '\x03']) {
    const ui = await mount();
    await ui.keys(key);
    t.is(ui.quits, 1, JSON.stringify(key));
    ui.unmount();
  }
});

test.serial('a narrow terminal drops low-priority columns and never wraps; a resize re-lays out', async (t) => {
  const ui = await mount(140);
  t.regex(ui.frame(), /^DEV\/PORT NETNS STATE +RATE/m);
  ui.resize(48);
  const f = await ui.keys();
  for (const l of lines(f)) t.true(l.length <= 48, `${l.length}: ${l}`);
  t.regex(f, /^DEV\/PORT +STATE +RX B\/s +TX B\/s/m, 'NETNS, RATE, NETDEV and SRC dropped');
  t.notRegex(f, /RATE/);
  ui.unmount();
});

test.serial('changing text every frame retains no memory (ink 6 caches every text it lays out, ink#986)', async (t) => {
  if (typeof globalThis.gc !== 'function') return t.fail('needs node --expose-gc (the ava config passes it)');
  // ink itself, on a terminal that keeps nothing (ink-testing-library keeps every frame).
  const stdout = Object.assign(new Writable({ write(_c, _e, cb) { cb(); } }), { columns: 120, rows: 40, isTTY: true });
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });
  const feed = testFeed(last);
  const app = inkRender(<TopApp feed={feed} options={{}} onQuit={() => {}} />,
    { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, exitOnCtrlC: false,
      patchConsole: false, maxFps: 10000 });
  const frame = async (i: number) => {
    feed.show({ ...last, sample: { ...last.sample, seq: i, wall: last.sample.wall + i * 1000 } });
    await new Promise((r) => setTimeout(r, 1));
  };
  for (let i = 0; i < 100; i++) await frame(i);
  globalThis.gc(); globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 100; i < 3100; i++) await frame(i);
  globalThis.gc(); globalThis.gc();
  const grown = process.memoryUsage().heapUsed - before;
  app.unmount();
  // Laid out as plain <Text> lines this retained ~250 bytes per changed line (~750 KB here).
  t.true(grown < 150_000, `heap grew ${grown} bytes over 3000 frames`);
});
