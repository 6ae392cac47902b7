// The exporter's recording for the unit tier (fixtures/lab/KERNEL/counters/
// exporter.json, with traffic live): `rdma-ts --record F exporter` scraped
// SCRAPES times on a fixed schedule, each scrape saved with the sysfs
// rx_bytes of rxe0's netdev and the time it was read. Then the recording is
// replayed and scraped as often: every body must come back the same (the
// exporter's own gauges aside). test/exporter-prometheus.test.ts puts a real
// Prometheus on that replay.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const EXPORTER_SCRAPES = 8;
/** Seconds between scrapes, here and in the host's Prometheus: a reading under TCG takes up to ~1.5 s. */
export const EXPORTER_INTERVAL_S = 3;
export const EXPORTER_NETDEV = 'veth1';

export interface ExporterScrape {
  /** Unix seconds when the scrape was sent. */
  at: number;
  /** /sys/class/net/EXPORTER_NETDEV/statistics/rx_bytes just before it. */
  sysfsRxBytes: number;
  body: string;
}
export interface ExporterRecordingOut {
  argv: string[];
  netdev: string;
  intervalS: number;
  scrapes: ExporterScrape[];
}

/** The exporter's own gauges (read time, staleness, timestamps) differ from run to run; the rest must not. */
export const withoutSelf = (body: string) => body.split('\n').filter((l) => !/^(# (HELP|TYPE) )?rdma_exporter_/.test(l)).join('\n');

const scrapeLoop = (port: number, dir: string) => `
i=0; until curl -sf -o /dev/null http://127.0.0.1:${port}/ || [ $i -ge 100 ]; do sleep 0.1; i=$((i+1)); done
next=$(date +%s)
for n in $(seq 1 ${EXPORTER_SCRAPES}); do
  next=$((next + ${EXPORTER_INTERVAL_S})); while [ $(date +%s) -lt $next ]; do sleep 0.05; done
  echo "SCRAPE $n $(date +%s.%N) $(cat /sys/class/net/${EXPORTER_NETDEV}/statistics/rx_bytes)"
  curl -s -o ${dir}/scrape-$n.txt http://127.0.0.1:${port}/metrics
done`;

function run(mode: '--record' | '--replay', file: string, port: number, dir: string, env: NodeJS.ProcessEnv) {
  mkdirSync(dir, { recursive: true });
  const script = `$RDMA_TS ${mode} ${file} exporter --listen 127.0.0.1:${port} --timeout 10 2> ${dir}/err & E=$!
${scrapeLoop(port, dir)}
kill $E; wait $E; echo "EXIT $?"`;
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8', env, timeout: 180_000 });
  const scrapes = r.stdout.split('\n').filter((l) => l.startsWith('SCRAPE ')).map((l) => {
    const [, n, at, rx] = l.split(' ');
    return { at: Number(at), sysfsRxBytes: Number(rx), body: readFileSync(join(dir, `scrape-${n}.txt`), 'utf8') };
  });
  return { scrapes, exit: /EXIT (\d+)/.exec(r.stdout)?.[1], stderr: readFileSync(join(dir, 'err'), 'utf8') + r.stderr };
}

/** Records into DIR/exporter.json and exporter.out.json; the verdict is whether the replay gives the same scrapes. */
export function recordExporter(dir: string, env: NodeJS.ProcessEnv): { name: string; ok: boolean; detail?: string } {
  const name = `record: exporter (${EXPORTER_SCRAPES} scrapes, ${EXPORTER_INTERVAL_S} s apart) replays to the same scrapes`;
  const file = join(dir, 'exporter.json');
  const live = run('--record', file, 19882, '/tmp/exp-live', env);
  const argv = ['exporter'];
  const rec = JSON.parse(readFileSync(file, 'utf8')) as { argv: string[] };
  rec.argv = argv;
  writeFileSync(file, JSON.stringify(rec, null, 1) + '\n');
  const out: ExporterRecordingOut = { argv, netdev: EXPORTER_NETDEV, intervalS: EXPORTER_INTERVAL_S, scrapes: live.scrapes };
  writeFileSync(join(dir, 'exporter.out.json'), JSON.stringify(out, null, 1) + '\n');
  const again = run('--replay', file, 19883, '/tmp/exp-replay', env);
  const problems: string[] = [];
  if (live.exit !== '0' || again.exit !== '0') problems.push(`exit: live ${live.exit}, replay ${again.exit}`);
  if (live.scrapes.length !== EXPORTER_SCRAPES) problems.push(`${live.scrapes.length} live scrapes`);
  if (/rdma_exporter_stale 1/.test(live.scrapes.map((s) => s.body).join('\n'))) problems.push('a live scrape was stale');
  live.scrapes.forEach((s, i) => {
    if (withoutSelf(s.body) !== withoutSelf(again.scrapes[i]?.body ?? '')) problems.push(`scrape ${i + 1} differs in the replay`);
  });
  return { name, ok: problems.length === 0, detail: problems.length ? `${problems.join('; ')}\n${live.stderr}${again.stderr}` : undefined };
}
