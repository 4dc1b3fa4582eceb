import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { ContentError, loadContent } from '../src/index.js';
import { contentDir } from './paths.js';

const scratch: string[] = [];

/** A scratch copy of the real content with one file edited; an edit that changes nothing is a broken test. */
export function contentWith(file: string, edit: (text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-content-'));
  scratch.push(dir);
  fs.cpSync(contentDir, dir, { recursive: true });
  const target = path.join(dir, file);
  const text = fs.readFileSync(target, 'utf8');
  const edited = edit(text);
  expect(edited, `the edit of ${file} changed nothing`).not.toBe(text);
  fs.writeFileSync(target, edited);
  return dir;
}

/** Removes the scratch copies made so far (call it from afterEach). */
export function removeScratch(): void {
  for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The problems loadContent reports for a content directory, one `file:line key message` each; throws if it loads. */
export function problemsOf(dir: string): string[] {
  try {
    loadContent(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(ContentError);
    return (err as ContentError).problems.map((p) => `${p.file}:${p.line ?? '?'} ${p.key} ${p.message}`);
  }
  throw new Error('content loaded without complaint');
}
