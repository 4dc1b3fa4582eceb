import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
