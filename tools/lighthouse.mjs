// Lighthouse on Hearth's Today, a person's page and Stays, with records stored.
//
// Usage: node tools/lighthouse.mjs URL   (URL: the release, served by tools/serve.py)
//
// Lighthouse clears a site's storage before it measures, which would measure
// an empty app (the welcome screen). So this script launches Debian's Chromium
// (CHROME_PATH, default /usr/bin/chromium) on a fresh temporary profile, sets
// the app up as a carer would (the welcome form, then "Try with sample data"
// in More: three people and three months of records in IndexedDB), and runs
// Lighthouse in that browser with storage reset turned off. Before each page
// it clears the service worker, Cache Storage and the HTTP cache itself, so
// every page is a cold load over the (simulated, mobile) network; only the
// records in IndexedDB stay. Settings are Lighthouse's defaults: mobile form
// factor and screen, simulated slow 4G and a 4x slower CPU.
//
// Each page is measured three times (HEARTH_LIGHTHOUSE_RUNS) and each figure is
// the median, as Lighthouse's own figures vary from run to run.
// Prints one row per page and figure with its budget and pass or FAIL, and
// exits 1 if any budget is broken. The browser is closed on failure too.
// HEARTH_LIGHTHOUSE_DEBUG=1 also prints the layout shifts and the LCP element;
// HEARTH_LIGHTHOUSE_SAVE=DIR writes each page's median report there as JSON.

import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.argv[2];
if (!url) {
  console.error('usage: node tools/lighthouse.mjs URL');
  process.exit(2);
}
const origin = new URL(url).origin;
// Runs per page (HEARTH_LIGHTHOUSE_RUNS, default 3); figures are medians.
const RUNS = Math.max(1, Number(process.env.HEARTH_LIGHTHOUSE_RUNS) || 3);

// Budgets: [label, how to read it from a report, budget, pass test, unit]
const FIGURES = [
  ['performance', (r) => r.categories.performance.score * 100, '>= 95', (v) => v >= 95, ''],
  ['accessibility', (r) => r.categories.accessibility.score * 100, '= 100', (v) => v >= 100, ''],
  ['best practices', (r) => r.categories['best-practices'].score * 100, '= 100', (v) => v >= 100, ''],
  ['LCP', (r) => r.audits['largest-contentful-paint'].numericValue / 1000, '<= 2.0 s', (v) => v <= 2.0, ' s'],
  ['TBT', (r) => r.audits['total-blocking-time'].numericValue, '<= 150 ms', (v) => v <= 150, ' ms'],
  ['CLS', (r) => r.audits['cumulative-layout-shift'].numericValue, '<= 0.05', (v) => v <= 0.05, ''],
];

async function clickText(page, selector, text) {
  await page.waitForFunction(
    (selector, text) => [...document.querySelectorAll(selector)].some((e) => e.textContent.trim() === text),
    { timeout: 30_000 },
    selector,
    text,
  );
  await page.evaluate(
    (selector, text) => [...document.querySelectorAll(selector)].find((e) => e.textContent.trim() === text).click(),
    selector,
    text,
  );
}

async function seeText(page, text) {
  await page.waitForFunction((text) => document.body.innerText.includes(text), { timeout: 60_000 }, text);
}

/// The welcome form, then "Try with sample data"; returns a sample person's id.
async function setUp(browser) {
  const page = await browser.newPage();
  await page.setViewport({ width: 360, height: 740, isMobile: true, hasTouch: true });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('#f-carer_name', { timeout: 30_000 });
  await page.type('#f-carer_name', 'Ann');
  await page.type('#f-household_name', "Ann's house");
  await clickText(page, 'button', 'Start using Hearth');
  await seeText(page, "Today's records");
  await page.goto(`${url}#/more`, { waitUntil: 'load' });
  await clickText(page, 'button', 'Try with sample data');
  await seeText(page, 'You are looking at sample data.');
  const person = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('hearth');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const q = open.result.transaction('people').objectStore('people').getAll();
          q.onsuccess = () => {
            open.result.close();
            resolve(q.result.map((r) => r.rec).find((p) => p.body.preferred_name === 'Ravi').id);
          };
        };
      }),
  );
  await page.goto('about:blank');
  return { page, person };
}

const profile = mkdtempSync(join(tmpdir(), 'hearth-lighthouse-'));
let browser;
let failed = false;
try {
  browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
  const port = Number(new URL(browser.wsEndpoint()).port);
  const { page, person } = await setUp(browser);
  const cdp = await page.createCDPSession();
  const pages = [
    ['Today', `${url}#/`],
    ["A person's page", `${url}#/people/${person}`],
    ['Stays', `${url}#/stays`],
  ];
  console.log(`${'page'.padEnd(18)} ${'figure'.padEnd(15)} ${'measured'.padStart(10)}  ${'budget'.padEnd(10)} result`);
  for (const [name, address] of pages) {
    // Lighthouse's figures vary from run to run: each page is measured RUNS
    // times and each figure is the median.
    const reports = [];
    for (let run = 0; run < RUNS; run++) {
      await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'service_workers,cache_storage' });
      await cdp.send('Network.clearBrowserCache');
      const result = await lighthouse(address, {
        port,
        output: 'json',
        logLevel: 'error',
        disableStorageReset: true,
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
      });
      if (result.lhr.runtimeError) {
        console.log(`${name.padEnd(18)} Lighthouse failed: ${result.lhr.runtimeError.message}`);
        failed = true;
        break;
      }
      reports.push(result.lhr);
    }
    if (reports.length < RUNS) continue;
    for (const [figure, read, budget, ok, unit] of FIGURES) {
      const values = reports.map(read).sort((a, b) => a - b);
      const value = values[Math.floor(values.length / 2)];
      const show = (v) => (unit === ' s' ? v.toFixed(2) : unit === ' ms' ? v.toFixed(0) : figure === 'CLS' ? v.toFixed(3) : v.toFixed(0));
      const pass = ok(value);
      failed ||= !pass;
      console.log(
        `${name.padEnd(18)} ${figure.padEnd(15)} ${(show(value) + unit).padStart(10)}  ${budget.padEnd(10)} ${pass ? 'pass' : 'FAIL'}` +
          `   (runs: ${values.map(show).join(', ')})`,
      );
    }
    // The median run's details, for what follows.
    const report = reports.sort((a, b) => a.categories.performance.score - b.categories.performance.score)[Math.floor(RUNS / 2)];
    if (process.env.HEARTH_LIGHTHOUSE_SAVE) {
      const file = join(process.env.HEARTH_LIGHTHOUSE_SAVE, `${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(report));
    }
    if (process.env.HEARTH_LIGHTHOUSE_DEBUG) {
      const show = (value) => console.log((JSON.stringify(value, null, 1) ?? 'none').slice(0, 1500));
      show(report.audits['layout-shifts']?.details?.items?.slice(0, 5));
      show(report.audits['largest-contentful-paint-element']?.details);
      show(report.audits['lcp-breakdown-insight']?.details ?? report.audits['largest-contentful-paint']);
      show(report.audits['long-tasks']?.details?.items);
    }
    for (const [id, audit] of Object.entries(report.audits)) {
      const category = ['accessibility', 'best-practices'].find((c) =>
        report.categories[c].auditRefs.some((ref) => ref.id === id && ref.weight > 0),
      );
      if (category && audit.score !== null && audit.score < 1) {
        console.log(`${''.padEnd(18)}   ${category}: ${id}: ${audit.title}`);
      }
    }
  }
} catch (e) {
  console.log(`Lighthouse could not run: ${e.stack || e}`);
  failed = true;
} finally {
  if (browser) await browser.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
