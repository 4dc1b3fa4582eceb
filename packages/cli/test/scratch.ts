import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.js';

/**
 * A scratch project that installs the packed tarballs of @regtrail/core, @regtrail/nats and regtrail the way a
 * consumer would, without the network: its package-lock.json is cut out of the repository's (the
 * same versions of the same dependencies, at the same places), so `npm ci --offline` takes every
 * registry package from the npm cache that the repository's own `npm ci` filled.
 */

const exec = promisify(execFile);

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

/** The workspaces packed, by name, with the folder each lives in and the place it installs at. */
const WORKSPACES = { '@regtrail/core': 'packages/core', '@regtrail/nats': 'packages/nats', regtrail: 'packages/cli' } as const;
type Workspace = keyof typeof WORKSPACES;

/** Packs the workspaces into `dir`; returns each tarball's path and the files it holds. */
export async function packWorkspaces(dir: string): Promise<Record<Workspace, { tarball: string; files: string[] }>> {
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', dir, ...Object.keys(WORKSPACES).flatMap((w) => ['-w', w])], {
    cwd: repoRoot,
    maxBuffer: 16 << 20,
  });
  const packed = JSON.parse(stdout) as { name: Workspace; filename: string; files: { path: string }[] }[];
  const out = {} as Record<Workspace, { tarball: string; files: string[] }>;
  for (const p of packed) out[p.name] = { tarball: path.join(dir, p.filename), files: p.files.map((f) => f.path) };
  return out;
}

/** The dependencies npm installs for a lock entry: regular, optional, and peers that are not optional. */
function wanted(entry: LockEntry): string[] {
  const peers = Object.keys(entry.peerDependencies ?? {}).filter((n) => !entry.peerDependenciesMeta?.[n]?.optional);
  return [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...peers];
}

/** Where Node.js finds `name` from the package at `from` (a lockfile path): its own node_modules, then each parent's. */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const at = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[at]) return at;
    if (!base) return undefined;
    const up = base.lastIndexOf('/node_modules/');
    base = up >= 0 ? base.slice(0, up) : '';
  }
}

/**
 * package.json and package-lock.json of a project that depends on the tarballs: every
 * registry package the workspaces use, taken from the repository's lock, at the same place
 * relative to the workspace (packages/cli/node_modules/x becomes node_modules/regtrail/node_modules/x).
 */
export function scratchProject(app: string, tarballs: Record<Workspace, string>): void {
  const repoLock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const repo = repoLock.packages;
  const rel = (file: string) => `file:${path.relative(app, file).split(path.sep).join('/')}`;
  const dependencies = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, rel(file)]));
  const packages: Record<string, LockEntry> = { '': { name: 'scratch', dependencies } };
  const workspaceAt = (repoPath: string) => (Object.entries(WORKSPACES) as [Workspace, string][]).find(([, dir]) => repoPath === dir || repoPath.startsWith(`${dir}/`));
  const place = (repoPath: string) => {
    const ws = workspaceAt(repoPath);
    return ws ? `node_modules/${ws[0]}${repoPath.slice(ws[1].length)}` : repoPath;
  };
  const queue: string[] = Object.values(WORKSPACES);
  const seen = new Set<string>(queue);
  while (queue.length) {
    const at = queue.shift()!;
    const entry = repo[at]!;
    const ws = workspaceAt(at);
    if (ws && ws[1] === at) {
      // The workspace itself: installed from its tarball, with its own dependencies only.
      const { name: _name, devDependencies: _dev, ...rest } = entry;
      packages[place(at)] = { ...rest, resolved: rel(tarballs[ws[0]]) };
    } else {
      packages[place(at)] = entry;
    }
    for (const dep of wanted(entry)) {
      if (dep in WORKSPACES) continue; // one workspace depends on the other: that is its tarball
      const found = locate(repo, at, dep);
      if (!found) throw new Error(`${at} needs ${dep}, which the repository's package-lock.json does not hold`);
      if (!seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    }
  }
  fs.mkdirSync(app, { recursive: true });
  fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies }, null, 2)}\n`);
  fs.writeFileSync(path.join(app, 'package-lock.json'), `${JSON.stringify({ name: 'scratch', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
}

/** `npm ci` in the scratch project, from the npm cache only. */
export async function installOffline(app: string): Promise<void> {
  await exec('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: app, maxBuffer: 16 << 20 });
}
