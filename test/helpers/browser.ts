import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/**
 * Headless Chromium from the system (Debian's `chromium` package; CHROME_PATH names another),
 * driven by playwright-core, which downloads no browser of its own.
 */
export function findChromium(env: Record<string, string | undefined> = process.env): string | undefined {
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (env.CHROME_PATH) return executable(env.CHROME_PATH) ? env.CHROME_PATH : undefined;
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    for (const dir of dirs) if (executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

const isLoopback = (hostname: string) => hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);

export interface OfflineContext {
  readonly context: BrowserContext;
  /** Every request a page of this context tried to send off this machine, each refused. */
  readonly blocked: string[];
}

/**
 * A browser that can reach nothing but loopback, twice over: Chromium itself sends every other
 * host to a proxy on a closed loopback port and resolves no other name, so even its own
 * background traffic stays on the machine, and each context refuses (and records) page requests
 * to any other host before they leave.
 */
export async function launchOfflineBrowser(executablePath: string): Promise<{ browser: Browser; newContext(): Promise<OfflineContext> }> {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    timeout: 120_000,
    args: [
      // Chromium's sandbox needs user namespaces that a root CI container does not give.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--proxy-server=http://127.0.0.1:9',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-domain-reliability',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    async newContext() {
      const context = await browser.newContext();
      const blocked: string[] = [];
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (isLoopback(url.hostname)) return route.continue();
        blocked.push(url.href);
        return route.abort('blockedbyclient');
      });
      return { context, blocked };
    },
  };
}
