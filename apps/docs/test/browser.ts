import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, type BrowserContext } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser tests can run. Without Debian's Chromium they fail on CI (REGTRAIL_CI is
 * set by .ci/run) and are skipped, loudly, everywhere else.
 */
export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.REGTRAIL_CI) throw new Error(`docs browser tests: ${CHROMIUM} is missing (REGTRAIL_CI is set, so this fails)`);
  console.warn(`\n${'!'.repeat(72)}\n!! docs browser tests SKIPPED: ${CHROMIUM} not found (apt-get install chromium)\n${'!'.repeat(72)}\n`);
  return false;
}

/**
 * The font families fontconfig offers for Chinese (`fc-list :lang=zh family`): what Chromium can
 * draw zh pages with. .ci/run installs fonts-wqy-microhei when there is none.
 */
export function cjkFontFamilies(): string[] {
  let out = '';
  try {
    out = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    out = '';
  }
  const families = [...new Set(out.split('\n').flatMap((l) => l.split(',')).map((f) => f.trim()).filter(Boolean))];
  if (families.length === 0) {
    const why = 'no font for Chinese (fc-list :lang=zh is empty; apt-get install fonts-wqy-microhei)';
    if (process.env.REGTRAIL_CI) throw new Error(`docs browser tests: ${why} (REGTRAIL_CI is set, so this fails)`);
    console.warn(`\n${'!'.repeat(72)}\n!! zh glyph check SKIPPED: ${why}; zh layout is measured with missing-glyph boxes\n${'!'.repeat(72)}\n`);
  }
  return families;
}

/** Headless Chromium with a fresh profile, kept off the network except for our server. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-chromium-'));
  // launchPersistentContext is how Playwright takes a --user-data-dir.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
