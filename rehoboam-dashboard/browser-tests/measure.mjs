// Measures the dashboard on the default server: page load time and memory. Not a test; run it with
// the server jar built:  node browser-tests/measure.mjs [seconds of live updates, default 60]
// Prints the navigation timings (median of 5 fresh loads), the time until the bots table is on
// screen, and after the live period the page's JS heap (CDP Performance.getMetrics) and the
// resident memory of the renderer processes and of the whole browser (/proc).
import { readdirSync, readFileSync } from 'node:fs';
import { openBrowser, Server } from './harness.mjs';

const seconds = Number(process.argv[2] ?? 60);
const server = await new Server().start();
const browser = await openBrowser();
const { page, context } = browser;
try {
  await page.goto(server.base + '/'); // warm the server's JIT and the files
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const fresh = await context.newPage();
    const t0 = Date.now();
    await fresh.goto(server.base + '/?run=' + i);
    await fresh.getByTestId('bot-row-live_monitor').waitFor();
    const toBots = Date.now() - t0;
    const nav = await fresh.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return { domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd, transfer: n.transferSize };
    });
    const bytes = await fresh.evaluate(() => performance.getEntriesByType('resource').reduce((s, r) => s + r.transferSize, 0));
    runs.push({ ...nav, toBots, bytes: bytes + nav.transfer });
    await fresh.close();
  }
  const median = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[2];
  console.log(`load (median of 5): DOMContentLoaded ${median('domContentLoaded').toFixed(0)} ms, load ${median('load').toFixed(0)} ms, bots on screen ${median('toBots')} ms, ${median('bytes')} bytes transferred`);

  await page.reload();
  await page.getByTestId('bot-row-live_monitor').waitFor();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await cdp.send('HeapProfiler.collectGarbage');
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  // Chromium's processes of this profile (their command lines name its user-data-dir): the renderers and all.
  const processes = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (!cmdline.includes(browser.profile)) return null;
        const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
        return { renderer: cmdline.includes('--type=renderer'), rss };
      } catch {
        return null;
      }
    })
    .filter(Boolean);
  const rss = processes.filter((p) => p.renderer).map((p) => p.rss);
  const total = processes.reduce((n, p) => n + p.rss, 0);
  const mib = (b) => (b / 1048576).toFixed(1) + ' MiB';
  console.log(`after ${seconds} s of live updates: JS heap used ${mib(metrics.JSHeapUsedSize)} (total ${mib(metrics.JSHeapTotalSize)}), DOM nodes ${metrics.Nodes}, renderer RSS ${rss.map(mib).join(', ') || 'n/a'}, all ${processes.length} Chromium processes ${mib(total)} RSS`);
} finally {
  await browser.close();
  await server.stop();
}
