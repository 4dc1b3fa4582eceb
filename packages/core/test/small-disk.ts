import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A real small file system for disk-full tests: a tmpfs of `bytes` mounted on a fresh folder
 * (needs root, as the project's machines and CI run). `fill()` takes all its free space with a
 * filler file, `free()` gives it back. Undefined where mounting is not permitted.
 */
export interface SmallDisk {
  readonly dir: string;
  fill(): void;
  free(): void;
  unmount(): void;
}

export function mountSmallDisk(bytes: number): SmallDisk | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = fs.openSync(filler, 'a');
      const chunk = Buffer.alloc(4096, 0x20);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch {
        // ENOSPC: full.
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
