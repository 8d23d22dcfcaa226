/// <reference lib="dom" />
// The tab's first queue view in Chromium on a slow link: the JavaScript it loads (bytes as served, brotli)
// and the time from navigation to the first queue rows with the network throttled through the DevTools
// protocol (1.6 Mbit/s down, 750 kbit/s up, 150 ms latency) and the cache disabled. Goals (issue 19):
// under 120 KB and under 2 s, beside the "before": 727 KB (195 KB gzipped) and 5.3 s.
import { chromium } from 'playwright-core';
import { executablePath } from '../support/tab-world';
import type { BenchRow } from './harness';

const SECTION = 'tab';
const RUNS = 3;
/** The slow link of the issue: 1.6 Mbit/s down (200,000 bytes/s), 750 kbit/s up, 150 ms round trips. */
const SLOW = { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 750_000 / 8 };
const GOAL_KB = 120;
const GOAL_S = 2;
const BEFORE = 'before: 727 KB raw, 195 KB gzipped; 5.3 s';

interface Load {
  readonly ms: number;
  /** Bytes of each script as sent (content-length of the compressed body). */
  readonly scripts: readonly { readonly url: string; readonly bytes: number; readonly encoding: string }[];
}

/** One cold load of the queue as `persona` (local mode) in a fresh, throttled, cache-less page. */
async function loadOnce(
  url: string,
  persona: string,
  launch: Awaited<ReturnType<typeof chromium.launch>>,
): Promise<Load> {
  const context = await launch.newContext({ viewport: { width: 400, height: 800 } });
  await context.addInitScript((p) => {
    localStorage.setItem('sla-desk.persona', p);
  }, persona);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW);
  const scripts: { url: string; bytes: number; encoding: string }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'script') return;
    pending.push(
      r.allHeaders().then((h) => {
        scripts.push({
          url: r.url().replace(/^.*\//, ''),
          bytes: Number(h['content-length'] ?? NaN),
          encoding: h['content-encoding'] ?? 'none',
        });
      }),
    );
  });
  await page.goto(`${url}/tab/index.html#/queue`);
  // Milliseconds since navigation began, read in the page when the first row is there.
  const ms = await page.waitForFunction(
    () => (document.querySelector('[data-testid="queue-row"]') === null ? false : performance.now()),
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  const took = Number(await ms.jsonValue());
  await Promise.all(pending);
  await context.close();
  return { ms: took, scripts };
}

/** The two rows: the first view's JavaScript as served, and the time to the first queue rows. */
export async function tabLoadRows(url: string, persona: string): Promise<BenchRow[]> {
  const row = (
    name: string,
    note: string,
    p50Us: number | null = null,
    p99Us: number | null = null,
  ): BenchRow => ({
    section: SECTION,
    name,
    iterations: RUNS,
    opsPerSec: 0,
    p50Us,
    p99Us,
    cpuShare: 1,
    io: true,
    note,
  });
  if (executablePath === undefined)
    return [row('first queue view in Chromium', 'no Chromium found (set CHROMIUM_PATH): not measured')];
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  const loads: Load[] = [];
  try {
    for (let i = 0; i < RUNS; i++) loads.push(await loadOnce(url, persona, browser));
  } finally {
    await browser.close();
  }
  const first = loads[0];
  const bytes = (first?.scripts ?? []).reduce((sum, s) => sum + s.bytes, 0);
  const kb = bytes / 1024;
  const encodings = [...new Set((first?.scripts ?? []).map((s) => s.encoding))].join(', ');
  const times = loads.map((l) => l.ms).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? NaN;
  const slowest = times[times.length - 1] ?? NaN;
  return [
    row(
      'first queue view: its JavaScript',
      `${kb.toFixed(1)} KB as served (${encodings}) in ${first?.scripts.length ?? 0} scripts: goal < ${GOAL_KB} KB ${kb < GOAL_KB ? 'met' : 'MISSED'} (${BEFORE})`,
    ),
    row(
      'first queue rows at 1.6 Mbit/s, 150 ms',
      `median ${(median / 1000).toFixed(2)} s of ${RUNS} cold loads (${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s; throttled by Chromium, cache off, 400 px): goal < ${GOAL_S} s ${median < GOAL_S * 1000 ? 'met' : 'MISSED'} (${BEFORE})`,
      median * 1000,
      slowest * 1000,
    ),
  ];
}
