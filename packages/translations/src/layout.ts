import path from 'node:path';

/**
 * Where the translated material lives, relative to the repository root. One place, so that the
 * status command, the term base check and the docs site agree.
 */
export const SOURCE_LANGUAGE = 'en';
export const TARGET_LANGUAGE = 'zh-CN';
/** The docs site's URL prefix (and content folder) for the target language. */
export const TARGET_PAGE_DIR = 'zh-cn';

export interface Layout {
  readonly root: string;
  /** content/locales/<lng>/<namespace>.json */
  readonly localesDir: string;
  /** content/locales/zh-CN/.sources/<namespace>.json: what English each zh string was translated from. */
  readonly sourcesDir: string;
  /** content/locales/glossary.yaml */
  readonly glossaryFile: string;
  /** The docs pages: English at the top, zh under zh-cn/. */
  readonly pagesDir: string;
  /** .changeset/: the pending changesets, each with its summary in every language. */
  readonly changesetDir: string;
}

export function layout(root: string): Layout {
  const localesDir = path.join(root, 'content', 'locales');
  return {
    root,
    localesDir,
    sourcesDir: path.join(localesDir, TARGET_LANGUAGE, '.sources'),
    glossaryFile: path.join(localesDir, 'glossary.yaml'),
    pagesDir: path.join(root, 'apps', 'docs', 'src', 'content', 'docs'),
    changesetDir: path.join(root, '.changeset'),
  };
}

/** A path as shown to people: relative to the root, with forward slashes. */
export function shown(l: Layout, file: string): string {
  return path.relative(l.root, file).split(path.sep).join('/');
}
