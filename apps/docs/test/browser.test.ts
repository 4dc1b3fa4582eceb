import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { listActions } from '@regtrail/core';
import { browserAvailable, launchBrowser } from './browser.js';
import { serveDist } from './server.js';
import { resultsDir } from './site.js';
import { englishFound, englishUiNeedles, measureLayout, readerText } from './page-checks.js';
import { starlightEnglish } from './starlight-english.js';
import { starlightUiStrings } from '../src/lib/ui-strings.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

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
});
