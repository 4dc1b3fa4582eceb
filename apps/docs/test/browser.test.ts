import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { describeAction, listActions, translator, whereIs } from '@regtrail/core';
import { browserAvailable, cjkFontFamilies, launchBrowser } from './browser.js';
import { serveDist } from './server.js';
import { resultsDir } from './site.js';
import { englishFound, englishUiNeedles, measureLayout, readerText } from './page-checks.js';
import { starlightEnglish } from './starlight-english.js';
import { starlightUiStrings } from '../src/lib/ui-strings.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const cjkFonts = browserAvailable() ? cjkFontFamilies() : [];

describe.skipIf(!browserAvailable())('the built site in Chromium', () => {
  let server: Awaited<ReturnType<typeof serveDist>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(resultsDir, { recursive: true });
    server = await serveDist();
    browser = await launchBrowser();
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(resultsDir, `${name}.png`), fullPage: false });

  it('zh-CN Events → English with the language picker → search image.push → its page', async () => {
    await page.goto(`${server.url}/zh-cn/events/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect.poll(() => page.locator('table[data-events-table] tbody tr').count()).toBe(listActions().length);
    await shot('events-zh-cn');

    // The header's picker (the mobile menu has a hidden copy).
    await page.locator('starlight-lang-select select:visible').first().selectOption({ label: 'English' });
    await page.waitForURL(`${server.url}/events/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('table[data-events-table] tbody tr').count()).toBe(listActions().length);
    await shot('events-en');

    await page.locator('site-search button[data-open-modal]').first().click();
    await page.locator('#starlight__search input').fill('image.push');
    const result = page.locator('.pagefind-ui__result-link[href$="/events/image.push/"]').first();
    await result.waitFor({ timeout: 20_000 });
    await shot('search-image-push');
    await result.click();
    await page.waitForURL(`${server.url}/events/image.push/`);
    expect(await page.locator('h1').textContent()).toBe('image.push');
    await shot('action-image-push');
  });

  it('searches the zh-CN pages from a zh-CN page', async () => {
    await page.goto(`${server.url}/zh-cn/`);
    await page.locator('site-search button[data-open-modal]').first().click();
    await page.locator('#starlight__search input').fill('image.push');
    const result = page.locator('.pagefind-ui__result-link[href$="/zh-cn/events/image.push/"]').first();
    await result.waitFor({ timeout: 20_000 });
    const hrefs = await page.locator('.pagefind-ui__result-link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs.filter((h) => !h?.includes('/zh-cn/'))).toEqual([]);
    await shot('search-image-push-zh-cn');
    await result.click();
    await page.waitForURL(`${server.url}/zh-cn/events/image.push/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  // The pages readers come for, in both languages, at a desktop and a phone width.
  const PAGES = ['/', '/events/', '/events/image.push/', '/regions/', '/event-fields/', '/history/', '/emitter/'];
  const VIEWPORTS = [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ];
  const CASES = VIEWPORTS.flatMap((viewport) =>
    ['', '/zh-cn'].flatMap((prefix) => PAGES.map((p) => ({ path: `${prefix}${p}`, viewport, name: `${prefix}${p} at ${viewport.width}` }))),
  );
  const timings: string[] = [];
  afterAll(() => console.log(timings.join('\n')));
  const needles = englishUiNeedles(starlightEnglish(), starlightUiStrings()['zh-CN']!);

  const axeViolations = async () => {
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const { violations } = await axe.run(document, { resultTypes: ['violations'] });
      return violations;
    });
    return violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('; ')})`);
  };

  it.each(CASES)('$name: tables fit, ids whole, language picker and menu usable, no axe violations', async ({ path: sitePath, viewport }) => {
    await page.setViewportSize(viewport);
    await page.goto(`${server.url}${sitePath}`);
    // axe first, on the page as it loads (the layout check opens the history tables).
    const t0 = Date.now();
    expect(await axeViolations()).toEqual([]);
    timings.push(`${sitePath} ${viewport.width} axe ${Date.now() - t0} ms`);
    const layout = await measureLayout(page);
    expect(layout.pageScrollWidth).toBeLessThanOrEqual(layout.viewport);
    expect(layout.outside).toEqual([]);
    expect(layout.scrolling).toEqual([]);
    expect(layout.broken).toEqual([]);
    if (layout.hasSidebar && viewport.width < 800) {
      // Phone: the menu button opens the sidebar, which holds the language picker.
      expect(layout.visibleLanguagePickers).toBe(0);
      expect(layout.menuButtonVisible).toBe(true);
      await page.locator('starlight-menu-button button').click();
      const opened = await measureLayout(page);
      expect(opened.sidebarVisible).toBe(true);
      expect(opened.visibleLanguagePickers).toBe(1);
      await page.locator('starlight-menu-button button').click();
    } else {
      expect(layout.visibleLanguagePickers).toBe(1);
      if (layout.hasSidebar) expect(layout.sidebarVisible).toBe(true);
    }
    if (sitePath.startsWith('/zh-cn/')) expect(englishFound(await readerText(page), needles)).toEqual([]);
    await shot(`${sitePath.replace(/\//g, '_')}-${viewport.width}`);
  });

  it('zh-CN search dialog and 404 page speak Chinese', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.url}/zh-cn/events/`);
    await page.locator('site-search button[data-open-modal]').first().click();
    await page.locator('#starlight__search input').fill('推送');
    await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 20_000 });
    const dialog = await readerText(page, 'site-search dialog');
    expect(dialog).toMatch(/推送/);
    expect(englishFound(dialog, needles)).toEqual([]);
    await shot('search-zh-cn');

    const missing = await page.goto(`${server.url}/zh-cn/no-such-page/`);
    expect(missing?.status()).toBe(404);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(englishFound(await readerText(page), needles)).toEqual([]);
    // Its language picker leads to the English 404, and the English one's back here.
    await page.locator('starlight-lang-select select:visible').first().selectOption({ label: 'English' });
    await page.waitForURL(`${server.url}/404/`);
    await page.locator('starlight-lang-select select:visible').first().selectOption({ label: '简体中文' });
    await page.waitForURL(`${server.url}/zh-cn/404/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  // "Where are my events?": the same whereIs as the CLI, in the page.
  const FORM_CASES = [
    { query: 'jp2.icr.io/team/app:1.4', date: '2021-03-01', region: 'jp-osa', location: 'jp-tok' },
    { query: 'ap-north', date: '2019-06-21', region: 'jp-tok', location: 'ap-south' },
  ];
  it.each(['/regions/', '/', '/zh-cn/regions/', '/zh-cn/'].flatMap((p) => FORM_CASES.map((c) => ({ ...c, page: p }))))(
    'the form on $page: $query on $date → events in $location',
    async ({ page: sitePath, query, date, region, location }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${server.url}${sitePath}`);
      await page.locator('[data-where-query]').fill(query);
      await page.locator('[data-where-date]').fill(date);
      await page.locator('[data-where-form] button[type=submit]').click();
      const found = whereIs(query, { asOf: date });
      expect(await page.locator('[data-where-location]').getAttribute('data-where-location')).toBe(location);
      expect(found.eventLocation).toBe(location);
      expect(await page.locator('[data-where-region]').textContent()).toBe(region);
      const edition = page.locator('[data-where-edition]');
      expect(await edition.getAttribute('data-where-edition')).toBe(found.edition);
      // The link leads to that edition's table on the regions page, in the page's language.
      await edition.click();
      await page.waitForURL(`**${sitePath.startsWith('/zh-cn') ? '/zh-cn' : ''}/regions/#rule-${found.edition}`);
      expect(await page.locator(`section[data-location-edition="${found.edition}"] tr[data-region="${region}"]`).getAttribute('data-location')).toBe(location);
      await shot(`where${sitePath.replace(/\//g, '_')}${query.replace(/\W/g, '_')}`);
    },
  );

  it.each(['en', 'zh-CN'] as const)('the form in %s says what is wrong, in the page language', async (lang) => {
    await page.goto(`${server.url}${lang === 'en' ? '' : '/zh-cn'}/regions/`);
    const t = translator(lang);
    for (const [query, date, code] of [['nowhere', '', 'UNKNOWN_REGION'], ['docker.io/library/nginx', '', 'NOT_A_REGISTRY_IMAGE'], ['jp-tok', '2010-01-01', 'NO_RULE'], ['jp-tok', '2019-13-01', 'BAD_DATE']]) {
      await page.locator('[data-where-query]').fill(query!);
      await page.locator('[data-where-date]').fill(date!);
      await page.locator('[data-where-form] button[type=submit]').click();
      const error = page.locator('[data-where-error]');
      expect(await error.getAttribute('data-where-error')).toBe(code);
      expect(await error.textContent()).toContain(t(`docs:where.errors.${code}`));
    }
  });

  it.each(['', '/zh-cn'])('without JavaScript, %s/regions/ hides the form and its tables give the same answers', async (prefix) => {
    const noJs = await context.newPage();
    try {
      const cdp = await context.newCDPSession(noJs);
      await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
      await noJs.goto(`${server.url}${prefix}/regions/`);
      expect(await noJs.locator('[data-where-form]').isVisible()).toBe(false);
      for (const c of FORM_CASES) {
        // The region: the row whose domains or former name match what the reader has.
        const rows = noJs.locator('table[data-regions-table] tbody tr');
        const host = c.query.split('/')[0]!;
        const row = rows.filter({ has: noJs.locator(`code:text-is("${host}")`) });
        expect(await row.getAttribute('data-region')).toBe(c.region);
        // The edition in force on the date, and the region's row in it.
        const sections = await noJs.locator('section[data-location-edition]').evaluateAll((els) =>
          els.map((e) => ({ id: e.getAttribute('data-location-edition')!, since: e.getAttribute('data-since')!, until: e.getAttribute('data-until') })));
        const inForce = sections.filter((e) => e.since <= c.date && (!e.until || c.date < e.until));
        expect(inForce).toHaveLength(1);
        const cell = noJs.locator(`section[data-location-edition="${inForce[0]!.id}"] tr[data-region="${c.region}"]`);
        expect(await cell.isVisible()).toBe(true);
        expect(await cell.getAttribute('data-location')).toBe(c.location);
      }
    } finally {
      await noJs.close();
    }
  });

  it('the zh-CN events filter: 推送 keeps image.push and hides unrelated rows; clearing shows all', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.url}/zh-cn/events/`);
    const rows = page.locator('table[data-events-table] tbody tr');
    const total = await rows.count();
    await page.locator('[data-filter-input]').fill('推送');
    await expect.poll(() => page.locator('tr[data-action="container-registry.image.push"]').isVisible()).toBe(true);
    expect(await page.locator('tr[data-action="container-registry.quota.get"]').isVisible()).toBe(false);
    const shown = await rows.evaluateAll((trs) => trs.filter((tr) => (tr as HTMLElement).offsetParent !== null).map((tr) => tr.getAttribute('data-action')));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(total);
    // Every row left mentions a push in some language; the groups with none are hidden.
    for (const id of shown) expect(listActions().some((a) => a.id === id && (describeAction(id!, 'zh-CN').includes('推送')))).toBe(true);
    expect(await page.locator('section[data-group="account"]').isVisible()).toBe(false);
    expect(await page.locator('[data-filter-count]').textContent()).toBe(`${shown.length} / ${total}`);
    await shot('filter-zh-cn');
    // The other language, the catalog's own words, and several words at once.
    await page.locator('[data-filter-input]').fill('uploads');
    expect(await page.locator('tr[data-action="container-registry.image.push"]').isVisible()).toBe(true);
    await page.locator('[data-filter-input]').fill('images critical');
    const critical = await rows.evaluateAll((trs) => trs.filter((tr) => (tr as HTMLElement).offsetParent !== null).map((tr) => tr.getAttribute('data-severity')));
    expect(new Set(critical)).toEqual(new Set(['critical']));
    await page.locator('[data-filter-input]').fill('');
    expect(await rows.evaluateAll((trs) => trs.filter((tr) => (tr as HTMLElement).offsetParent !== null).length)).toBe(total);
  });

  it('rows have anchors, and the full-id URL lands on the short one', async () => {
    await page.goto(`${server.url}/events/#image.push`);
    const row = page.locator('tr[data-action="container-registry.image.push"]');
    expect(await row.evaluate((tr) => tr.matches(':target'))).toBe(true);
    expect(await row.isVisible()).toBe(true);
    await page.goto(`${server.url}/zh-cn/events/container-registry.image.push/`);
    await page.waitForURL(`${server.url}/zh-cn/events/image.push/`);
    expect(await page.locator('h1').textContent()).toBe('image.push');
  });

  it('a history table opens when its date is targeted, and every one in print', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.url}/history/#edition-2019-06-21`);
    const open = () => page.locator('section[data-edition] details').evaluateAll((ds) => ds.filter((d) => (d as HTMLDetailsElement).open).map((d) => d.closest('section')!.getAttribute('data-edition')));
    expect(await open()).toEqual(['2019-06-21']);
    expect(await page.locator('section[data-edition="2019-06-21"] tr[data-action]').first().isVisible()).toBe(true);
    // Following a link to another date opens that one too.
    await page.goto(`${server.url}/history/#edition-2018-07-25`);
    expect(await open()).toContain('2018-07-25');
    // Print: closed tables show (CSS), and printing opens them all (beforeprint).
    await page.goto(`${server.url}/zh-cn/history/`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('section[data-edition="2020-04-16"] tr[data-action]').first().isVisible()).toBe(true);
    const layout = await measureLayout(page);
    expect(layout.scrolling).toEqual([]);
    expect(await page.locator('section[data-edition] tr[data-action]').first().evaluate((tr) => getComputedStyle(tr).display)).toBe('table-row');
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
    expect((await open()).length).toBe(await page.locator('section[data-edition]').count());
  });

  it.skipIf(cjkFonts.length === 0)('zh pages are drawn with a real Chinese font, not missing-glyph boxes, so their layout checks measure real glyphs', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/zh-cn/events/`);
    const cdp = await context.newCDPSession(page);
    try {
      await cdp.send('DOM.enable');
      await cdp.send('CSS.enable');
      const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
      for (const selector of ['h1', 'main p', 'table[data-events-table] thead th:nth-child(2)']) {
        const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
        const text = await page.locator(selector).first().textContent();
        const han = [...(text ?? '')].filter((c) => /\p{Script=Han}/u.test(c)).length;
        expect(han, selector).toBeGreaterThan(0);
        // The fonts Chromium drew this node's text with, and how many glyphs each gave.
        const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
        const fromCjk = fonts.filter((f) => cjkFonts.includes(f.familyName)).reduce((n, f) => n + f.glyphCount, 0);
        expect(fromCjk, `${selector}: ${JSON.stringify(fonts)}`).toBeGreaterThanOrEqual(han);
      }
    } finally {
      await cdp.detach();
    }
  });

  it('print keeps the events table a table at phone width, rows whole', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/events/`);
    expect(await page.locator('table[data-events-table] tbody tr').first().evaluate((tr) => getComputedStyle(tr).display)).toBe('flex');
    await page.emulateMedia({ media: 'print' });
    const row = page.locator('table[data-events-table] tbody tr').first();
    expect(await row.evaluate((tr) => [getComputedStyle(tr).display, getComputedStyle(tr).breakInside])).toEqual(['table-row', 'avoid']);
    await page.emulateMedia({ media: 'screen' });
  });
});
