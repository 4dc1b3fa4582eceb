import fs from 'node:fs';
import { isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { ZodType } from 'zod';
import { displayPath, formatKey, type ContentProblem } from './problems.js';

/** A parsed YAML file that can say on which line a key sits. */
export interface YamlSource<T> {
  readonly file: string;
  readonly value: T | undefined;
  lineOf(keys: readonly (string | number)[]): number | undefined;
}

/**
 * Reads a YAML file and checks it against a schema. Problems (syntax or schema) are pushed to
 * `problems` with file, line and key; `value` is undefined when there were any.
 */
export function readYaml<T>(file: string, schema: ZodType<T>, problems: ContentProblem[]): YamlSource<T> {
  const shown = displayPath(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    problems.push({ file: shown, key: '', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
    return { file: shown, value: undefined, lineOf: () => undefined };
  }
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const lineOf = (keys: readonly (string | number)[]): number | undefined => {
    // Walk down as far as the document goes, so a missing key points at its parent.
    for (let n = keys.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  if (doc.errors.length) {
    for (const e of doc.errors) {
      problems.push({ file: shown, line: lineCounter.linePos(e.pos[0]).line, key: '', message: e.message.split('\n')[0]! });
    }
    return { file: shown, value: undefined, lineOf };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    // An alias whose anchor comes later (or nowhere), too many aliases: the yaml package throws.
    const message = (err as Error).message?.split('\n')[0] || String(err);
    let line: number | undefined;
    visit(doc, {
      Alias(_, node) {
        if (node.resolve(doc) !== undefined || !node.range) return undefined;
        line = lineCounter.linePos(node.range[0]).line;
        return visit.BREAK;
      },
    });
    problems.push({
      file: shown,
      ...(line !== undefined ? { line } : {}),
      key: '',
      message: line !== undefined && !/alias/i.test(message) ? `${message} (an alias names no anchor defined before it)` : message,
    });
    return { file: shown, value: undefined, lineOf };
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push({ file: shown, line: lineOf(issue.path), key: formatKey(issue.path), message: issue.message });
    }
    return { file: shown, value: undefined, lineOf };
  }
  return { file: shown, value: result.data, lineOf };
}
