// rdmatool's SRQ QP list (get_srq_qps/filter_srq_range_qps), and what 6.1's
// range helper leaves in the buffer 6.1 prints as the comm. The first two
// cases are the shapes the lab's 6.1 oracle printed (fixtures/lab/6.1.0-56-amd64/rping/srq.rdma.json;
// the stop-17 CI run's `lqpn 18,20 ... comm ibv_srq_pingpon`); the rest
// follow the C line by line (rdma/res-srq.c, identical in 6.1 and 7.1).
import test from 'ava';
import { srqQpList } from '../src/model/srq-qps.js';

test('a range: the list, and the range segment left in the buffer (6.1 prints `comm 19-20`)', (t) => {
  t.deepEqual(srqQpList([[19, 20]]), { items: ['19-20'], rangeBuffer: '19-20' });
});

test('single QPNs only: the range helper never runs, so 6.1 prints the real comm', (t) => {
  t.deepEqual(srqQpList([[18], [20]]), { items: ['18', '20'], rangeBuffer: undefined });
});

test('a range after a single: the buffer holds the delimiter too', (t) => {
  t.deepEqual(srqQpList([[18], [20, 21]]), { items: ['18', '20-21'], rangeBuffer: ',20-21' });
});

test('a single after a range: the buffer keeps the range segment', (t) => {
  t.deepEqual(srqQpList([[20, 21], [30]]), { items: ['20-21', '30'], rangeBuffer: '20-21' });
});

test('the lqpn filter splits a range; a segment closed by a filtered QPN is wiped from the buffer', (t) => {
  const not = (...q: number[]) => (qpn: number) => !q.includes(qpn);
  // 20 kept, 21 filtered: "20" written and memset; nothing follows, so the buffer is empty.
  t.deepEqual(srqQpList([[20, 21]], not(21)), { items: ['20'], rangeBuffer: '' });
  // 20 filtered: 21 opens a segment that ends with the range.
  t.deepEqual(srqQpList([[20, 21]], not(20)), { items: ['21'], rangeBuffer: '21' });
  // a hole in the middle: two segments.
  t.deepEqual(srqQpList([[20, 24]], not(22)), { items: ['20-21', '23-24'], rangeBuffer: ',23-24' });
  // everything filtered: nothing listed (rdmatool then skips the SRQ).
  t.deepEqual(srqQpList([[20, 21], [30]], () => false), { items: [], rangeBuffer: '' });
});

test('the 16-byte tmp and the 256-byte list are cut as snprintf and strncat cut them', (t) => {
  t.deepEqual(srqQpList([[1], [16777000, 16777215]]).rangeBuffer, ',16777000-16777');
  // "10000,10002,...": 42 whole items of 6 characters, then 3 characters of the 43rd (10084).
  const many = Array.from({ length: 100 }, (_, i): [number] => [10000 + 2 * i]);
  const { items } = srqQpList(many);
  t.is(items.join(',').length, 255);
  t.is(items.length, 43);
  t.is(items[42], '100');
});
