// Rate math: measured elapsed time, widths, wrap, saturation, reset; and the
// counter facts rates depend on (widths, units, sources).
import test from 'ava';
import { rateOf, secondsBetween } from '../src/model/rates.js';
import { counterSpec, maxOf } from '../src/model/counter-spec.js';

const pma = (name: string, value?: bigint, pmaExtended = false) => counterSpec(name, 'pma', { value, pmaExtended });

test('a rate is the delta over the measured elapsed time, not the nominal interval', (t) => {
  const spec = counterSpec('sent_pkts', 'netlink');
  t.deepEqual(rateOf(1000n, 3000n, 2.0, spec), { rate: 1000 });
  t.deepEqual(rateOf(1000n, 3000n, 1.25, spec), { rate: 1600 });
  t.is(secondsBetween(5_000_000_000n, 6_250_000_000n), 1.25);
});

test('the first sample (no previous value) and a zero or missing elapsed time have no rate', (t) => {
  const spec = counterSpec('sent_pkts', 'netlink');
  t.deepEqual(rateOf(undefined, 5n, 1, spec), { rate: null });
  t.deepEqual(rateOf(1n, 5n, undefined, spec), { rate: null });
  t.deepEqual(rateOf(1n, 5n, 0, spec), { rate: null });
});

test('PMA counters have the IBTA widths; data counters count 4-octet words', (t) => {
  t.is(pma('symbol_error').width, 16);
  t.is(pma('link_downed').width, 8);
  t.is(pma('local_link_integrity_errors').width, 4);
  t.is(pma('port_xmit_wait').width, 32);
  t.like(pma('port_rcv_data'), { width: 32, saturates: true, unit: '4-octet words', bytesPerUnit: 4 });
  t.is(pma('port_rcv_packets').unit, 'packets');
  t.is(pma('unicast_rcv_packets').width, 64);
});

test('PortCountersExtended makes data counters 64-bit; so does a value that cannot fit 32 bits', (t) => {
  t.is(pma('port_xmit_data', 5n, true).width, 64);
  t.is(pma('port_xmit_data', 0x1_0000_0000n).width, 64);
  t.is(pma('port_xmit_data', 0xffff_ffffn).width, 32);
  t.is(pma('symbol_error', 0x1_0000_0000n, true).width, 16, 'error counters are not widened');
});

test('a saturated PMA counter (all ones at its width) has no rate, only the marker', (t) => {
  t.deepEqual(rateOf(100n, 0xffffn, 1, pma('symbol_error')), { rate: null, mark: 'saturated' });
  t.deepEqual(rateOf(undefined, 0xffff_ffffn, 1, pma('port_rcv_data')), { rate: null, mark: 'saturated' });
  t.deepEqual(rateOf(3n, 15n, 1, pma('local_link_integrity_errors')), { rate: null, mark: 'saturated' });
  t.deepEqual(rateOf(3n, 14n, 1, pma('local_link_integrity_errors')), { rate: 11 });
});

test('a PMA counter that went down was cleared (perfquery -r): rate 0 and the reset marker, never negative', (t) => {
  t.deepEqual(rateOf(60_000n, 10n, 1, pma('symbol_error')), { rate: 0, mark: 'reset' });
});

test('a 32-bit wrapping counter (mlx5 q-counter) that passes 2^32 is a wrap, counted', (t) => {
  const spec = counterSpec('out_of_buffer', 'netlink', { driver: 'mlx5_core' });
  t.is(spec.width, 32);
  t.false(spec.saturates);
  t.deepEqual(rateOf(0xffff_fff0n, 0x10n, 2, spec), { rate: 16, mark: 'wrap' });
  // The kernel adds bound counters and history to the port value, so it may exceed 32 bits; mod 2^32 still holds.
  t.deepEqual(rateOf(0x1_ffff_fff0n, 0x1_0000_0010n, 1, spec), { rate: 32, mark: 'wrap' });
});

test('a wrapping counter that drops by more than half its range was reset, not wrapped (never a huge rate)', (t) => {
  const spec = counterSpec('out_of_buffer', 'netlink', { driver: 'mlx5_core' });
  t.deepEqual(rateOf(0x4000_0000n, 5n, 1, spec), { rate: 0, mark: 'reset' });
});

test('64-bit counters never wrap in practice: going down is a reset (unbound QP counter re-created)', (t) => {
  const spec = counterSpec('sent_pkts', 'netlink', { driver: 'rdma_rxe' });
  t.is(spec.width, 64);
  t.deepEqual(rateOf(maxOf(64) - 5n, 10n, 1, spec), { rate: 0, mark: 'reset' });
  t.deepEqual(rateOf(500n, 499n, 1, counterSpec('tx_bytes', 'netdev')), { rate: 0, mark: 'reset' });
});

test('mlx5 congestion and optional counters are 64-bit; units follow the names', (t) => {
  t.is(counterSpec('np_cnp_sent', 'netlink', { driver: 'mlx5_core' }).width, 64);
  t.is(counterSpec('cc_rx_ce_pkts', 'netlink', { driver: 'mlx5_core' }).unit, 'packets');
  t.like(counterSpec('rx_bytes', 'netdev'), { unit: 'bytes', bytesPerUnit: 1, width: 64 });
  t.is(counterSpec('rdma_sends', 'hw').unit, 'events');
});
