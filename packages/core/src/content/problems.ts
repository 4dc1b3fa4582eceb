import path from 'node:path';

/** One thing wrong with the content, located as precisely as the source allows. */
export interface ContentProblem {
  readonly file: string;
  readonly line?: number;
  readonly key: string;
  readonly message: string;
}

export function formatProblem(p: ContentProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return p.key ? `${where}: ${p.key}: ${p.message}` : `${where}: ${p.message}`;
}

/** Thrown by loadContent with every problem found, not just the first. */
export class ContentError extends Error {
  readonly code = 'BAD_CONTENT';
  readonly problems: readonly ContentProblem[];
  constructor(problems: readonly ContentProblem[]) {
    super(
      problems.length === 1
        ? formatProblem(problems[0]!)
        : `${problems.length} problems in content:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
    );
    this.name = 'ContentError';
    this.problems = problems;
  }
}

/** Paths in messages are relative to the working directory when that is shorter. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `actions[3].fields[0].type` from a path of keys and indexes. */
export function formatKey(keys: readonly (string | number)[]): string {
  let out = '';
  for (const k of keys) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}
