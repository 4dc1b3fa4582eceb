import type { Page } from 'playwright-core';

/**
 * What a reader sees of a page's tables, ids and header, measured in the browser: the key cells
 * (ids, paths, the regions table's answer, dates) that lie outside the viewport or inside a
 * table that scrolls sideways; ids or dates broken across lines; and whether the language picker
 * and the menu (on pages with a sidebar, below Starlight's desktop width) can be seen.
 */
export interface Layout {
  readonly viewport: number;
  readonly pageScrollWidth: number;
  readonly outside: string[];
  readonly scrolling: string[];
  readonly broken: string[];
  readonly visibleLanguagePickers: number;
  readonly hasSidebar: boolean;
  readonly menuButtonVisible: boolean;
  readonly sidebarVisible: boolean;
}

export function measureLayout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    // History tables are in closed <details>: a reader opens them, so measure them open.
    for (const d of document.querySelectorAll<HTMLDetailsElement>('main details')) d.open = true;
    const vw = document.documentElement.clientWidth;
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const describe = (el: Element) => `${el.closest('[data-action],[data-region],[data-event-field],[data-field]')?.getAttribute('data-action') ?? ''} ${el.textContent?.trim().slice(0, 60)}`;
    const outside: string[] = [];
    const scrolling: string[] = [];
    const broken: string[] = [];
    for (const table of document.querySelectorAll<HTMLElement>('main table')) {
      if (!visible(table)) continue;
      if (table.scrollWidth > table.clientWidth + 1 || table.getBoundingClientRect().right > vw + 1) scrolling.push(`table ${[...table.attributes].map((a) => a.name).filter((n) => n.startsWith('data-')).join(' ')}`);
      for (const cell of table.querySelectorAll('.rt-c-id, .rt-c-path, .rt-c-answer, .rt-date')) {
        const r = cell.getBoundingClientRect();
        if (r.left < -0.5 || r.right > vw + 0.5) outside.push(describe(cell));
      }
    }
    for (const el of document.querySelectorAll('main .rt-id, main .rt-date, main h1')) {
      if (!visible(el)) continue;
      const lines = new Set([...el.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(describe(el));
    }
    const pickers = [...document.querySelectorAll('starlight-lang-select select')].filter((s) => {
      const r = s.getBoundingClientRect();
      return visible(s) && r.left >= 0 && r.right <= vw && r.top >= 0;
    });
    const menu = document.querySelector('starlight-menu-button button');
    const sidebarLink = document.querySelector('nav.sidebar a');
    return {
      viewport: vw,
      pageScrollWidth: document.documentElement.scrollWidth,
      outside,
      scrolling,
      broken,
      visibleLanguagePickers: pickers.length,
      hasSidebar: document.documentElement.hasAttribute('data-has-sidebar'),
      menuButtonVisible: menu !== null && visible(menu),
      sidebarVisible: sidebarLink !== null && visible(sidebarLink),
    };
  });
}

/**
 * The text a reader can meet on a page, outside code: every text node (screen-reader-only ones
 * included) and the labels (aria-label, title, placeholder, alt, data-copied).
 */
export function readerText(page: Page, root = 'body'): Promise<string> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return '';
    const out: string[] = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement?.closest('pre, code, script, style, template, .expressive-code .ec-line')) continue;
      out.push(n.textContent ?? '');
    }
    for (const e of el.querySelectorAll('[aria-label],[title],[placeholder],[alt],[data-copied]')) {
      for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'data-copied']) out.push(e.getAttribute(a) ?? '');
    }
    return out.join('\n');
  }, root);
}

/**
 * The English UI strings a zh-CN page must not show: each string of Starlight's English
 * dictionary, cut at its variables ({{title}}, [SEARCH_TERM]) into the fixed parts worth looking
 * for (a whole word or more; strings that are the same in both languages, like Ctrl, are left out).
 */
export function englishUiNeedles(english: Record<string, string>, zh: Record<string, string>): string[] {
  return [...new Set(Object.entries(english)
    .filter(([k, v]) => zh[k] !== v)
    .flatMap(([, v]) => v.split(/\{\{\w+\}\}|\[[A-Z_]+\]/))
    .map((s) => s.replace(/[“”"]/g, '').trim())
    .filter((s) => /[A-Za-z]{2,}/.test(s)))];
}

/** The needles found in a text, each as a whole word. */
export function englishFound(text: string, needles: readonly string[]): string[] {
  return needles.filter((n) => new RegExp(`(^|[^A-Za-z])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z])`).test(text));
}
