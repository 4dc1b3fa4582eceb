import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
const mainFile = path.resolve(here, '../src/main.ts');

/**
 * A temporary copy of what the status reads (content/, the docs pages and the changesets), committed to a fresh
 * git repository so that old English pages can be read back from git as in the real one.
 */
export function copyRepo(): { root: string; remove: () => void; commit: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-translations-'));
  fs.cpSync(path.join(repoRoot, 'content'), path.join(root, 'content'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'apps/docs/src/content/docs'), path.join(root, 'apps/docs/src/content/docs'), { recursive: true });
  fs.cpSync(path.join(repoRoot, '.changeset'), path.join(root, '.changeset'), { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  const commit = () => {
    git('add', '-A');
    git('commit', '-q', '-m', 'copy');
  };
  commit();
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }), commit };
}

/**
 * Runs the status command as a process, as `npm run translations` does (asynchronously, so that
 * the test worker stays responsive while it runs).
 */
export function runCommand(root: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', mainFile, '--root', root, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Edits one string of a locale JSON file in place. */
export function setString(root: string, lng: string, ns: string, key: string, value: string | undefined): void {
  const file = path.join(root, 'content/locales', lng, `${ns}.json`);
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const parts = key.split('.');
  let obj = data;
  for (const p of parts.slice(0, -1)) obj = (obj[p] ??= {}) as Record<string, unknown>;
  if (value === undefined) delete obj[parts.at(-1)!];
  else obj[parts.at(-1)!] = value;
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}
