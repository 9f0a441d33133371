// Debian's Chromium (/usr/bin/chromium), started by playwright-core with this machine's flags: without
// the background-networking ones Chromium's own connections are refused here, many at a time.
import { chromium } from 'playwright-core';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A fresh browser on {@code userDataDir}: {context, page, problems} (page errors and CSP refusals). */
export async function launchBrowser(userDataDir) {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  // Close the browser with the script, however it ends.
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => context.close().finally(() => process.exit(1)));
  }
  return { context, page, problems };
}
