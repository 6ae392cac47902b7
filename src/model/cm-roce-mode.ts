// rdma_cm's per-port default RoCE mode (drivers/infiniband/core/cma_configfs.c):
//   /sys/kernel/config/rdma_cm/DEV/ports/N/default_roce_mode
// The DEV directory exists only while someone has created it (mkdir; the
// name must be a registered device); the setting lives in rdma_cm and stays
// after rmdir (mlnx-tools' cma_roce_mode removes it too). It is lost when
// the device goes away or rdma_cm is reloaded. The file accepts exactly
// "IB/RoCE v1" or "RoCE v2" (a bare "RoCE v1" is EINVAL), and the type must
// be one the port has GIDs of. It steers which GID rdma_cm picks; it never
// adds or frees a GID table entry.
import { mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { Session } from '../transport/session.js';
import { libc } from '../transport/libc.js';
import { GID_TYPE, RoceVersion } from './gid-table.js';

export const CONFIGFS = '/sys/kernel/config';
export const CM_CONFIGFS = `${CONFIGFS}/rdma_cm`;

/** The mode, or why it cannot be read. */
export type CmRoceMode = { mode: string } | { unknown: string };

const modeFile = (dev: string, port: number) => `${CM_CONFIGFS}/${dev}/ports/${port}/default_roce_mode`;

/** True when configfs is mounted at /sys/kernel/config (recorded: /proc/self/mounts). */
function configfsMounted(session: Session): boolean {
  return (session.readHostFile('/proc/self/mounts') ?? '').split('\n').some((l) => l.split(' ')[1] === CONFIGFS && l.split(' ' +
    '')[2] === 'configfs');
}

/** Why the rdma_cm directory is absent. */
function whyNoCmDir(session: Session): string {
  return configfsMounted(session) ? 'rdma_cm is not loaded; it starts in RoCE v2 mode' : `configfs is not mounted at ${CONFIGFS}`;
}

/**
 * Reads a port's mode. When no one holds the device's directory it is
 * created, read and removed again (as root): a show leaves nothing behind.
 */
export function readCmRoceMode(session: Session, dev: string, port: number): CmRoceMode {
  const file = modeFile(dev, port);
  let text = session.readHostFile(file);
  if (text === undefined) {
    if (session.readHostDir(CM_CONFIGFS) === undefined) return { unknown: whyNoCmDir(session) };
    let made = false;
    session.hostProbe(() => {
      try {
        mkdirSync(`${CM_CONFIGFS}/${dev}`);
        made = true;
      } catch {
        // EACCES as non-root, ENODEV for a device rdma_cm does not know: the read below says so
      }
    });
    text = session.readHostFile(file);
    if (made) session.hostProbe(() => rmdirSync(`${CM_CONFIGFS}/${dev}`));
    if (text === undefined) return { unknown: process.getuid?.() === 0 || session.replaying ? `rdma_cm has no device ` +
      `${dev}` : 'reading it needs root (a configfs mkdir)' };
  }
  return { mode: text.trim() };
}

export class CmRoceModeError extends Error {}

/**
 * Sets a port's mode: mounts configfs when it is not, creates the device's
 * directory if no one holds it, writes the exact string, and removes the
 * directory it created. Under --dry-run each step is printed instead.
 */
export function setCmRoceMode(session: Session, dev: string, port: number, version: RoceVersion): void {
  if (!configfsMounted(session)) {
    session.hostChange(`mount -t configfs none ${CONFIGFS}`, () => {
      if (libc().mount('none', CONFIGFS, 'configfs', 0, null) < 0) {
        throw new CmRoceModeError(`cannot mount configfs at ${CONFIGFS}: ` +
          `${libc().strerror(libc().errno())}${libc().errno() === 1 ? ' (needs CAP_SYS_ADMIN; run as root)' : ''}`);
      }
    });
  }
  if (!session.dryRun && session.readHostDir(CM_CONFIGFS) === undefined) {
    throw new CmRoceModeError(`${CM_CONFIGFS} does not exist: rdma_cm is not loaded (modprobe rdma_cm), so there is no mode to ` +
      `set yet; it starts in RoCE v2 mode`);
  }
  const dir = `${CM_CONFIGFS}/${dev}`;
  const held = session.readHostDir(dir) !== undefined;
  const fsError = (e: unknown, what: string): never => {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new CmRoceModeError(`${what}: permission denied (needs root)`);
    if (code === 'ENODEV') throw new CmRoceModeError(`${what}: rdma_cm has no device ${dev}`);
    if (code === 'EINVAL' && what.startsWith('write')) throw new CmRoceModeError(`${what}: the kernel refused it (EINVAL): ` +
      `${dev}/${port} has no ${GID_TYPE[version]} GIDs`);
    throw new CmRoceModeError(`${what}: ${(e as Error).message}`);
  };
  if (!held) session.hostChange(`mkdir ${dir}`, () => { try { mkdirSync(dir); } catch (e) { fsError(e, `mkdir ${dir}`); } });
  const file = modeFile(dev, port);
  try {
    session.hostChange(`write "${GID_TYPE[version]}" to ${file}`, () => {
      try {
        writeFileSync(file, GID_TYPE[version]);
      } catch (e) {
        fsError(e, `write "${GID_TYPE[version]}" to ${file}`);
      }
    });
  } finally {
    if (!held) session.hostChange(`rmdir ${dir}`, () => rmdirSync(dir));
  }
}
