// The default theme on a real build of the guide (this repository), served under /sheaf/:
//  - the light/dark toggle: hidden without JavaScript, a toggle button (aria-pressed) that
//    switches colours (code included), remembered per site across reloads, set before the
//    first paint (no flash of the other scheme), back to "follow the system" when the
//    reader picks what the system shows;
//  - the home page leads with the promise and the worksheets; the navigation comes from
//    `menu:` (the About page) with aria-current;
//  - a page's CSS (every stylesheet it links) is at most 12 KB gzipped, on the home page, an
//    essay, a worksheet and a result page.
// The binary is $SHEAF_BIN, else target/release/sheaf (scripts/browser-tests builds it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { REPO, buildForTests, openPage, serveBuilt } from './lib/harness.mjs';

const BASE = '/sheaf/';
const CSS_BUDGET = 12 * 1024;
const KEY = `sheaf:theme:${BASE}`;
const { out, skip, buildError } = buildForTests(REPO, BASE, 'sheaf-theme-');
const opts = { skip: skip || (buildError ? 'the build failed' : false) };
const site = serveBuilt({ out, skip: opts.skip, mounts: () => ({ [BASE]: path.join(out, 'site') }) });
const url = (p) => site.server.origin + BASE + p;

test('theme: the guide builds', { skip }, () => assert.equal(buildError, null));

/** Colours the reader sees: the page and a code block. */
const look = (page) =>
  page.evaluate(() => {
    const code = document.querySelector('pre.code');
    return {
      theme: document.documentElement.dataset.theme || null,
      pressed: document.querySelector('button.theme-toggle').getAttribute('aria-pressed'),
      bg: getComputedStyle(document.body).backgroundColor,
      code: code ? getComputedStyle(code).backgroundColor : null,
    };
  });

/** A page that records <html data-theme> at the moment <body> is inserted: the first paint. */
async function watchFirstPaint(page) {
  await page.addInitScript(() => {
    new MutationObserver((records, observer) => {
      if (document.body) {
        window.__themeAtBody = document.documentElement.dataset.theme || null;
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
}

test('theme: the toggle switches, is remembered per site and never flashes', opts, async () => {
  const page = await openPage(site.browser.context);
  await watchFirstPaint(page);
  await page.emulateMedia({ colorScheme: 'light' });
  const essay = url('docs/writing/');
  await page.goto(essay);
  const button = page.getByRole('button', { name: 'Dark theme' });
  await button.waitFor();
  const light = await look(page);
  assert.equal(light.pressed, 'false');
  assert.equal(light.theme, null, 'follows the system until the reader chooses');

  await button.click();
  const dark = await look(page);
  assert.deepEqual([dark.theme, dark.pressed], ['dark', 'true']);
  assert.notEqual(dark.bg, light.bg, 'the page turns dark');
  assert.ok(light.code && dark.code && light.code !== dark.code, 'code blocks follow the choice');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), 'dark');

  await page.reload();
  assert.equal(await page.evaluate(() => window.__themeAtBody), 'dark', 'set before <body>: no flash');
  assert.deepEqual(await look(page), dark);

  // Same choice as the system again: forget it, follow the system.
  await page.getByRole('button', { name: 'Dark theme' }).click();
  assert.deepEqual(await look(page), light);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), null);

  // On a dark system, choosing light is kept and wins over the system.
  await page.emulateMedia({ colorScheme: 'dark' });
  // Follows the system's change (a `change` event, dispatched after this call returns).
  await page.waitForFunction(() => document.querySelector('button.theme-toggle').getAttribute('aria-pressed') === 'true');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await page.reload();
  assert.equal(await page.evaluate(() => window.__themeAtBody), 'light');
  const chosenLight = await look(page);
  assert.deepEqual([chosenLight.pressed, chosenLight.bg, chosenLight.code], ['false', light.bg, light.code]);
  assert.deepEqual(page.problems, []);
  await page.evaluate((k) => localStorage.removeItem(k), KEY);
  await page.close();
});

test('theme: without JavaScript the toggle stays hidden and the system decides', opts, async () => {
  const context = await site.browser.context.browser()?.newContext?.({ javaScriptEnabled: false });
  // A persistent context has no browser(): open a page with scripts blocked by routing instead.
  const page = context ? await context.newPage() : await site.browser.context.newPage();
  if (!context) await page.route('**/*.js', (r) => r.abort());
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(url(''));
  assert.equal(await page.locator('button.theme-toggle').isVisible(), false);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(23, 25, 29)', 'the dark palette from the system');
  await page.close();
  await context?.close();
});

test('theme: the home page leads with the promise and the worksheets; the menu has About', opts, async () => {
  const page = await openPage(site.browser.context);
  await page.goto(url(''));
  const h1 = (await page.locator('h1').innerText()).trim();
  const siteTitle = (await page.locator('.site-title').innerText()).trim();
  assert.notEqual(h1, siteTitle, 'the site title is not repeated as the heading');
  const h2s = await page.locator('main h2').allInnerTexts();
  assert.equal(h2s[0], 'Start with a worksheet', `sections in order: ${h2s}`);
  assert.ok(!h2s.includes('Sections'), 'no list that repeats the navigation');
  const nav = await page.locator('.site-nav a').allInnerTexts();
  assert.deepEqual(nav, ['Essays', 'Worksheets', 'Using sheaf', 'About this guide']);
  await page.goto(url('about/'));
  assert.equal(await page.locator('.site-nav a[aria-current="page"]').innerText(), 'About this guide');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test(`theme: a page's CSS is at most ${CSS_BUDGET} bytes gzipped`, opts, async () => {
  const root = path.join(out, 'site');
  const results = fs.readdirSync(path.join(root, 'worksheets/todays-priority/result'))[0];
  for (const p of ['', 'essays/why-chasing-followers/', 'worksheets/todays-priority/', `worksheets/todays-priority/result/${results}/`]) {
    const html = fs.readFileSync(path.join(root, p, 'index.html'), 'utf8');
    const sheets = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(sheets.length > 0, p);
    let total = 0;
    for (const href of sheets) {
      const file = path.join(root, decodeURI(href).replace(/^https?:\/\/[^/]+/, '').slice(BASE.length));
      total += zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
    }
    test.diagnostic?.(`${p || 'home'}: ${total} bytes of CSS gzipped`);
    console.log(`# ${p || 'home'}: ${sheets.length} stylesheets, ${total} bytes gzipped (budget ${CSS_BUDGET})`);
    assert.ok(total <= CSS_BUDGET, `${p || 'home'}: ${total} bytes gzipped is over ${CSS_BUDGET}`);
  }
});
