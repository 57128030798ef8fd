// What every browser test needs: the standalone server as a real child process (the shaded jar,
// a fresh data directory, a free port), real Chromium (Debian's /usr/bin/chromium) driven by
// playwright-core, REST calls with Node's fetch, and screenshots under the Maven target directory.
//
// Environment (set by examples/src/test/java/io/rehoboam/examples/DashboardBrowserIT.java):
//   REHOBOAM_SERVER_JAR   the server jar (examples/target/rehoboam-server.jar)
//   REHOBOAM_SCREENSHOTS  where screenshots go
//   JAVA                  the java binary (default: java on the PATH)
//   CHROMIUM              the browser (default: /usr/bin/chromium)
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
export const SERVER_JAR = process.env.REHOBOAM_SERVER_JAR ?? path.join(REPO, 'examples/target/rehoboam-server.jar');
export const SCREENSHOTS = process.env.REHOBOAM_SCREENSHOTS ?? path.join(REPO, 'examples/target/dashboard-screenshots');
export const DEFAULT_CONFIG = path.join(REPO, 'examples/src/main/resources/rehoboam-server.yaml');
const JAVA = process.env.JAVA ?? 'java';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const LISTENING = /Rehoboam server listening on (http:\/\/127\.0\.0\.1:(\d+))/;

export const SECOND = 1000;

/** A standalone server process. */
export class Server {
  constructor({ dataDir, config, port = 0, env = {} } = {}) {
    this.dataDir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'rehoboam-dashboard-'));
    this.config = config;
    this.port = port;
    this.env = env;
    this.output = [];
  }

  /** Starts it and resolves when it listens (its URL in `base`). */
  async start() {
    const args = ['-jar', SERVER_JAR, '--data-dir', this.dataDir, '--port', String(this.port)];
    if (this.config) args.push('--config', this.config);
    this.process = spawn(JAVA, args, { cwd: REPO, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = this.process;
    this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    const listening = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not listen within 120 s:\n' + this.output.slice(-40).join('\n'))), 120 * SECOND);
      const read = (stream) => {
        let partial = '';
        stream.on('data', (chunk) => {
          partial += chunk.toString();
          const lines = partial.split('\n');
          partial = lines.pop();
          for (const line of lines) {
            this.output.push(line);
            if (this.output.length > 2000) this.output.shift();
            const m = LISTENING.exec(line);
            if (m) {
              clearTimeout(timer);
              resolve(m);
            }
          }
        });
      };
      read(proc.stdout);
      read(proc.stderr);
      proc.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error('the server exited with ' + code + ' before listening:\n' + this.output.slice(-40).join('\n')));
      });
    });
    const m = await listening;
    this.base = m[1];
    this.port = Number(m[2]);
    return this;
  }

  /** SIGTERM (a graceful stop) and waits for the process to end. */
  async stop() {
    if (!this.process || this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGTERM');
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('the server did not stop within 60 s')), 60 * SECOND);
    });
    try {
      await Promise.race([this.exited, timeout]);
    } catch (e) {
      this.process.kill('SIGKILL');
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** REST call; resolves to { status, json }. */
  async call(method, route, { body, key, headers = {} } = {}) {
    const response = await fetch(this.base + route, {
      method,
      headers: {
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(key ? { Authorization: 'Bearer ' + key } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json, text, headers: response.headers };
  }

  async get(route, options) {
    const r = await this.call('GET', route, options);
    if (r.status !== 200) throw new Error(`GET ${route} answered ${r.status}: ${r.text}`);
    return r.json;
  }
}

/** The default configuration with edits applied (each `[from, to]` must match once). */
export function configWith(edits) {
  let text = readFileSync(DEFAULT_CONFIG, 'utf8');
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error('the default configuration has no ' + JSON.stringify(from));
    text = text.replace(from, to);
  }
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rehoboam-config-')), 'server.yaml');
  writeFileSync(file, text);
  return file;
}

/** Chromium with a fresh profile, and a page that records console errors and requests. */
export async function openBrowser() {
  const profile = mkdtempSync(path.join(tmpdir(), 'rehoboam-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 960 },
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  const requests = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push('console error: ' + m.text());
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('request', (r) => requests.push(r.url()));
  page.on('websocket', (ws) => requests.push(ws.url()));
  return {
    context,
    page,
    profile,
    problems,
    requests,
    async close() {
      await context.close();
    },
  };
}

/** Saves a screenshot of the page as <name>.png under SCREENSHOTS. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Polls `condition` (sync or async) until it returns a truthy value; fails after `timeout` ms with `what`. */
export async function waitUntil(condition, what, timeout = 30 * SECOND, every = 200) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await condition();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/** Text content of the element with this data-testid. */
export async function testText(page, id) {
  return (await page.getByTestId(id).first().textContent())?.trim();
}

/**
 * Clicks Execute on the best row of the opportunities table until the result toast matches
 * `expected` (an opportunity can be gone by the time of the click: 404, 409 or 410 are tried
 * again, anything else fails). Returns the toast's text. The page must show the opportunities.
 */
export async function executeFromTable(page, expected, tries = 10) {
  for (let attempt = 0; attempt < tries; attempt++) {
    const first = page.getByTestId('opportunity-row').first();
    await first.waitFor({ timeout: 20 * SECOND });
    const id = await first.getAttribute('data-id');
    const earlier = await page.locator('[data-testid^="toast-"]').filter({ hasText: id }).count();
    // The table re-sorts as opportunities come and go: click the button of this very one.
    const clicked = await page
      .locator(`[data-testid="opportunity-row"][data-id="${id}"]`)
      .getByTestId('execute')
      .click({ timeout: 2 * SECOND })
      .then(
        () => true,
        () => false,
      );
    if (!clicked) continue;
    const text = await waitUntil(async () => {
      const toasts = page.locator('[data-testid^="toast-"]').filter({ hasText: id });
      return (await toasts.count()) > earlier ? await toasts.last().textContent() : null;
    }, 'the result of executing ' + id);
    if (expected.test(text)) return text;
    if (!/: (404|409|410) /.test(text)) throw new Error(`executing ${id} gave "${text}", expected ${expected}`);
  }
  throw new Error(`no execution gave ${expected} in ${tries} tries`);
}
