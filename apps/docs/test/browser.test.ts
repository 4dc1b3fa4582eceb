import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { listActions } from '@regtrail/core';
import { browserAvailable, launchBrowser } from './browser.js';
import { serveDist } from './server.js';
import { resultsDir } from './site.js';

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
    expect(await page.locator('h1').textContent()).toBe('container-registry.image.push');
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

  it.each(['/', '/events/', '/events/image.push/', '/event-fields/', '/emitter/', '/zh-cn/', '/zh-cn/events/', '/zh-cn/events/image.push/', '/zh-cn/event-fields/'])(
    '%s has no serious or critical accessibility violations (axe-core)',
    async (sitePath) => {
      await page.goto(`${server.url}${sitePath}`);
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const { violations } = await axe.run(document, { resultTypes: ['violations'] });
        return violations;
      });
      const bad = violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('; ')})`);
      expect(bad).toEqual([]);
    },
  );
});
