import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { RegtrailError } from '../../errors.js';

/**
 * The lock of a spool directory: one sink (one process) at a time.
 *
 * Lock files are numbered generations, `lock-<generation>`, each created once, atomically and
 * whole (written to a private file, then hard-linked to its name, which fails if the name
 * exists), and never changed. The highest generation decides: it holds the pid of its owner, or
 * `free` once the owner released it. To take the lock, a process creates the next generation
 * after the highest one, when that one is free or its owner is dead. Of processes racing for the
 * same generation, the link lets exactly one win. A process whose view was stale (the highest
 * generation moved on meanwhile, and older ones were cleaned up, so its link did succeed)
 * looks again after its link and gives way to any higher generation; the highest is never
 * deleted, so it always sees it. There is no step in which a lock is removed and re-created,
 * which is where two processes could both take a stale lock.
 *
 * A `lock` file (pid) of an older version is honoured while its process lives.
 */

const GENERATION = /^lock-(\d{1,16})$/;
const LEGACY = 'lock';
const FREE = 'free';
const ATTEMPTS = 50;

const lockName = (generation: number) => `lock-${String(generation).padStart(16, '0')}`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Adds the path to a file system error that lacks it (errors of file handles have none). */
function at(file: string): (err: NodeJS.ErrnoException) => never {
  return (err) => {
    err.path ??= file;
    throw err;
  };
}

/** Reads a lock file: the owner's pid, 'free', or undefined when it is gone. */
async function readOwner(file: string): Promise<number | 'free' | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const line = text.trim();
  if (line === FREE) return 'free';
  const pid = Number(line);
  // Unreadable contents name no living owner.
  return Number.isSafeInteger(pid) && pid > 0 ? pid : 'free';
}

async function generations(dir: string): Promise<number[]> {
  return (await fsp.readdir(dir))
    .map((n) => GENERATION.exec(n)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Creates `name` in `dir` holding `text`, whole, or fails with EEXIST when it exists. */
async function createWhole(dir: string, name: string, text: string): Promise<void> {
  const tmp = path.join(dir, `.lock-${process.pid}-${randomBytes(6).toString('hex')}`);
  const handle = await fsp.open(tmp, 'wx').catch(at(tmp));
  try {
    await handle.writeFile(text).catch(at(tmp));
    await handle.sync().catch(at(tmp));
  } finally {
    await handle.close();
  }
  try {
    await fsp.link(tmp, path.join(dir, name));
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

export class SpoolLock {
  private released = false;

  private constructor(
    private readonly dir: string,
    private readonly generation: number,
  ) {}

  static async take(dir: string): Promise<SpoolLock> {
    const legacy = await readOwner(path.join(dir, LEGACY));
    if (typeof legacy === 'number' && isAlive(legacy)) throw locked(dir, legacy);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const highest = (await generations(dir)).at(-1) ?? 0;
      if (highest > 0) {
        const owner = await readOwner(path.join(dir, lockName(highest)));
        if (owner === undefined) continue; // moved on meanwhile: look again
        if (owner !== 'free' && isAlive(owner)) throw locked(dir, owner);
      }
      const mine = highest + 1;
      try {
        await createWhole(dir, lockName(mine), `${process.pid}\n`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue; // another process took it first
        throw at(path.join(dir, lockName(mine)))(err as NodeJS.ErrnoException);
      }
      // Our view may have been stale: a higher generation wins.
      const after = await generations(dir);
      if (after.at(-1)! > mine) {
        await fsp.rm(path.join(dir, lockName(mine)), { force: true });
        continue;
      }
      // Ours. Older generations (and an older version's dead lock) are only clutter now.
      for (const g of after) if (g < mine) await fsp.rm(path.join(dir, lockName(g)), { force: true });
      if (legacy !== undefined) await fsp.rm(path.join(dir, LEGACY), { force: true });
      return new SpoolLock(dir, mine);
    }
    throw new RegtrailError('SPOOL_LOCKED', `could not lock the spool ${dir}: other processes keep taking it`);
  }

  /**
   * Releases the lock: the next generation says `free` (so that this process, still alive, can
   * open the spool again), and ours is removed. Should that fail (a full disk), the lock stays
   * ours until this process ends.
   */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await createWhole(this.dir, lockName(this.generation + 1), `${FREE}\n`);
    await fsp.rm(path.join(this.dir, lockName(this.generation)), { force: true });
  }
}

function locked(dir: string, pid: number): RegtrailError {
  return new RegtrailError('SPOOL_LOCKED', `spool ${dir} is in use by process ${pid}; one sink per spool directory`);
}
