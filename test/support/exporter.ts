// Starts the built exporter on a recording, as a user would (any free port),
// for the tests of its HTTP side and of a real Prometheus scraping it.
import { spawn, ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { ROOT, BIN } from './cli.js';

export interface RunningExporter {
  p: ChildProcess;
  url: string;
  stderr: () => string;
}

export async function startExporter(rec: string, args: string[] = [], env: Record<string, string> = {}): Promise<RunningExporter> {
  const p = spawn(process.execPath, [BIN, '--replay', rec, 'exporter', '--listen', '127.0.0.1:0', ...args], { cwd: ROOT,
    env: { ...process.env, ...env } });
  let err = '';
  p.stderr!.on('data', (d) => { err += d; });
  for (let i = 0; i < 100 && !/listening on (\S+)/.test(err); i++) await new Promise((r) => setTimeout(r, 50));
  const url = /listening on (\S+)/.exec(err)?.[1];
  if (!url) throw new Error(`no listening line: ${err}`);
  return { p, url, stderr: () => err };
}

export const stopExporter = async (p: ChildProcess) => { p.kill('SIGTERM'); const [code] = await once(p,
  'exit'); return code as number | null; };

/** The value of one series (its exact name and labels) in an exposition. */
export const seriesValue = (text: string,
  series: string) => Number(new RegExp(`^${series.replace(/[{}"[\]]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
