// The exporter in the lab (counters scenario, traffic live): a real
// Prometheus (Debian's, the host's binary) scrapes it, and rate() of rxe0's
// netdev bytes agrees with the sysfs deltas the test reads over the same
// window; the exposition passes promtool; the exporter sends no write.
import type { ShellCheck } from './cases.js';
import { all, marks, status } from './expect.js';

const PROM = `cat > /tmp/prom.yml <<'YML'
global: {scrape_interval: 3s, scrape_timeout: 3s}
scrape_configs: [{job_name: rdma, static_configs: [{targets: ['127.0.0.1:19879']}]}]
YML`;

const q = (expr: string, at = '') =>
  `curl -s --get --data-urlencode 'query=${expr}'${at ? ` --data-urlencode "time=${at}"` : ''} http://127.0.0.1:19090/api/v1/query`;
const SERIES = 'rdma_port_netdev_rx_bytes_total{device="rxe2"}';

export const EXPORTER_CHECKS: ShellCheck[] = [{
  name: 'exporter under a real Prometheus: up, and rate() of rxe2\'s netdev (veth1, the peer of the pinging veth0) rx bytes ' +
    'agrees with the sysfs delta over the same 24 s (within 25%); promtool accepts the exposition',
  timeoutMs: 300_000,
  script: `${PROM}
# A stale answer repeats the last values at a new scrape time, which flattens rate(); under TCG a
# reading can take ~2 s, so the timeout sits just under the 3 s scrape interval.
$RDMA_TS exporter --listen 127.0.0.1:19879 --timeout 2.7 2> /tmp/exp.err & E=$!
D=$(mktemp -d)
prometheus --config.file=/tmp/prom.yml --storage.tsdb.path=$D --web.listen-address=127.0.0.1:19090 > /tmp/prom.log 2>&1 & P=$!
i=0; until ${q('up{job="rdma"}')} | grep -q '"1"\\]' || [ $i -ge 120 ]; do sleep 1; i=$((i+1)); done; echo "UPWAIT $i"
curl -s http://127.0.0.1:19879/metrics > /tmp/exp.txt; promtool check metrics < /tmp/exp.txt; echo "PROMTOOL $?"
sleep 4; A=$(cat /sys/class/net/veth1/statistics/rx_bytes); TA=$(date +%s.%N)
sleep 24; B=$(cat /sys/class/net/veth1/statistics/rx_bytes); TB=$(date +%s.%N)
echo "SYSFS $A $B $TA $TB"
# curl prints no final newline: echo one so each answer is a line of its own.
{ ${q(`rate(${SERIES}[24s])`, '$TB')}; echo; } | sed 's/^/RATE /'
{ ${q('up{job="rdma"}')}; echo; } | sed 's/^/UP /'
kill $P $E; wait $E; echo "EXPORTER $?"; sed 's/^/EXPLOG /' /tmp/exp.err | head -5`,
  expect: all(status(0, 'PROMTOOL'), status(0, 'EXPORTER'), (r) => {
    const [a, b, ta, tb] = marks(r.stdout, 'SYSFS');
    const line = r.stdout.split('\n').find((l) => l.startsWith('RATE ')) ?? '';
    const m = /"value":\[[\d.]+,"([\d.e+-]+)"\]/.exec(line);
    if (!m) return `no rate from Prometheus: ${line}\n${r.stdout}`;
    const prom = Number(m[1]);
    const sysfs = (b - a) / (tb - ta);
    if (!(sysfs > 1000)) return `no traffic on veth1 (${sysfs} B/s)`;
    const off = Math.abs(prom - sysfs) / sysfs;
    return off <= 0.25 ? undefined : `Prometheus rate ${prom.toFixed(0)} B/s vs sysfs ${sysfs.toFixed(0)} B/s ` +
      `(${(off * 100).toFixed(0)}% off)\n${r.stdout}`;
  }, (r) => (/UP .*"value":\[[\d.]+,"1"\]/.test(r.stdout) ? undefined : `up is not 1:\n${r.stdout}`)),
}];
