// Worksheet pages as `sheaf build` renders them (tests/browser/site, DESIGN.md section 6), served
// under a base path with a `Content-Security-Policy: default-src 'self'` header:
//  - the static HTML and definition JSON follow the contract worksheet.js is written against;
//  - the script works on them (answers, result, reload, share link in a fresh profile, a
//    hostile link), axe finds nothing serious, and every result page exists.
// The binary is $SHEAF_BIN, else target/release/sheaf (scripts/browser-tests builds it). While
// the build renders no worksheet forms (the Rust side not wired in yet) the tests are skipped.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  STATIC,
  TESTS,
  answerAll,
  buildForTests,
  clearStorage,
  encodeFragment,
  gotoWorksheet,
  launch,
  openPage,
  readUi,
  serveBuilt,
  shareRoundTrip,
} from './lib/harness.mjs';

const SITE = path.join(TESTS, 'site');
const BASE = '/guide/';
const CSP = "default-src 'self'";
const PAGES = ['worksheets/todays-priority/', 'worksheets/network-health/'];

// --- build once, at load time, to know whether there is anything to test -----------------------
const built = buildForTests(SITE, BASE, 'sheaf-built-');
const { out, buildError } = built;
let skip = built.skip;
if (out && !buildError) {
  const rendered = PAGES.filter((p) => {
    const f = path.join(out, 'site', p, 'index.html');
    return fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes('<form class="worksheet"');
  });
  if (rendered.length === 0) skip = 'the build renders no worksheet forms yet (src/worksheet is not wired in)';
}
const opts = { skip: skip || (buildError ? 'the build failed (see the test above)' : false) };

const site = serveBuilt({
  out,
  skip: skip || buildError,
  mounts: () => ({
    [BASE]: { dir: path.join(out, 'site'), headers: { 'content-security-policy': CSP } },
    '/vendor/axe.min.js': path.join(TESTS, 'node_modules/axe-core/axe.min.js'),
  }),
  ready: ({ browser, server }) =>
    browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin }),
});

const url = (p) => site.server.url(BASE + p);

async function withPage(fn, options = {}) {
  const page = await openPage(options.context || site.browser.context, options);
  try {
    await clearStorage(page, url(''));
    await fn(page);
    assert.deepEqual(await page.trouble(), [], 'no console errors, page errors, CSP violations or dialogs');
  } finally {
    await page.close();
  }
}

/** Every way the static page departs from the contract (run with JavaScript off). */
function contractProblems() {
  const bad = [];
  const $ = (s, r = document) => r.querySelector(s);
  const f = $('form.worksheet');
  if (!f) return ['no <form class="worksheet">'];
  if (f.id !== 'worksheet') bad.push('form id is not "worksheet"');
  if (f.getAttribute('method') !== 'dialog') bad.push('form method is not "dialog"');
  if (!f.hasAttribute('novalidate')) bad.push('form lacks novalidate');
  const defEl = $('script#ws-definition[type="application/json"]', f);
  if (!defEl) return [...bad, 'no <script type="application/json" id="ws-definition"> inside the form'];
  let def;
  try {
    def = JSON.parse(defEl.textContent);
  } catch (e) {
    return [...bad, 'definition is not JSON: ' + e.message];
  }
  if (def.id !== f.dataset.worksheet) bad.push(`definition id ${def.id} != data-worksheet ${f.dataset.worksheet}`);
  if (String(def.version) !== f.dataset.version || !Number.isInteger(def.version)) bad.push('version mismatch or not an integer');
  if (typeof def.hash !== 'string' || !def.hash) bad.push('definition hash missing');
  if (!['top', 'bands'].includes(def.by)) bad.push(`by is ${def.by}`);
  const banner = $('.ws-banner', f);
  if (!banner || !banner.hidden) bad.push('.ws-banner missing or not hidden');
  if (!$('.ws-banner .ws-banner-text', f)) bad.push('.ws-banner-text missing');
  if (!$('.ws-banner button[type=button][data-action=make-mine]', f)) bad.push('Make it mine button missing');
  if (!$('.ws-banner button[type=button][data-action=clear]', f)) bad.push('Clear button missing');
  const msg = $('.ws-message', f);
  if (!msg || msg.getAttribute('role') !== 'status' || !msg.hidden) bad.push('.ws-message[role=status][hidden] missing');
  const res = $('section.ws-result[aria-labelledby="ws-result-heading"]', f);
  if (!res || !$('h2#ws-result-heading', res)) bad.push('section.ws-result with h2#ws-result-heading missing');
  if (!$('.ws-live[aria-live="polite"] .ws-status', f)) bad.push('.ws-live[aria-live=polite] .ws-status missing');
  for (const r of def.results || []) {
    if (!r.key || !r.title || !r.url) bad.push(`result ${JSON.stringify(r)} lacks key/title/url`);
    if (def.by === 'bands' && typeof r.max !== 'number') bad.push(`band ${r.key} has no max`);
    const item = [...f.querySelectorAll('.ws-result-item')].find((e) => e.dataset.result === r.key);
    if (!item || !item.hidden) bad.push(`.ws-result-item[data-result=${r.key}] missing or not hidden`);
    else {
      if ($('h3', item)?.textContent.trim() !== r.title) bad.push(`result ${r.key}: h3 is not the title`);
      if (![...item.querySelectorAll('a')].some((a) => a.getAttribute('href') === r.url)) bad.push(`result ${r.key}: no share link to ${r.url}`);
    }
    if (![...f.querySelectorAll('.ws-all-results a')].some((a) => a.getAttribute('href') === r.url)) bad.push(`.ws-all-results lacks ${r.url}`);
  }
  const actions = $('.ws-actions', f);
  if (!actions || !actions.hidden) bad.push('.ws-actions missing or not hidden');
  for (const a of ['reset', 'print', 'copy-link']) if (!$(`.ws-actions button[type=button][data-action=${a}]`, f)) bad.push(`${a} button missing`);
  for (const q of def.questions || []) {
    const fs = document.getElementById('q-' + q.id);
    const where = `question ${q.id}`;
    if (!fs || fs.tagName !== 'FIELDSET' || !fs.classList.contains('ws-q')) {
      bad.push(`${where}: no fieldset.ws-q#q-${q.id}`);
      continue;
    }
    if (fs.dataset.q !== q.id || fs.dataset.type !== q.type) bad.push(`${where}: data-q/data-type`);
    if ((fs.dataset.share === 'false') !== (q.share === false)) bad.push(`${where}: data-share="false" iff share: false`);
    const legend = fs.querySelector(':scope > legend');
    if (!legend || legend.id !== `q-${q.id}-prompt` || !legend.textContent.trim()) bad.push(`${where}: legend#q-${q.id}-prompt`);
    const choice = { single: 'radio', scale: 'radio', multi: 'checkbox', checklist: 'checkbox' }[q.type];
    if (choice) {
      const ids = q.type === 'scale' ? [] : (q.options || []).map((o) => o.id);
      if (q.type === 'scale') for (let v = q.min; v <= q.max; v += 1) ids.push(String(v));
      const inputs = [...fs.querySelectorAll('.ws-options input')];
      if (inputs.map((i) => i.value).join() !== ids.join()) bad.push(`${where}: options ${inputs.map((i) => i.value)} != ${ids}`);
      for (const i of inputs) {
        if (i.type !== choice || i.name !== q.id || i.id !== `ws-${q.id}-${i.value}`) bad.push(`${where}: input ${i.id} type/name/id`);
        const label = i.closest('label');
        if (!label || label.htmlFor !== i.id || !label.textContent.trim()) bad.push(`${where}: label for ${i.id}`);
      }
    } else if (q.type === 'rank') {
      const lis = [...fs.querySelectorAll('ol.ws-rank > li')];
      if (lis.map((l) => l.dataset.option).join() !== (q.options || []).map((o) => o.id).join()) bad.push(`${where}: rank items`);
      for (const li of lis) {
        if (!li.querySelector('.ws-rank-label')?.textContent.trim()) bad.push(`${where}: .ws-rank-label`);
        const b = li.querySelector('.ws-rank-buttons');
        if (!b || !b.hidden || !b.querySelector('button[type=button][data-move=up][aria-label]') || !b.querySelector('button[type=button][data-move=down][aria-label]'))
          bad.push(`${where}: .ws-rank-buttons[hidden] with labelled up/down buttons`);
      }
    } else {
      const el = document.getElementById('ws-' + q.id);
      const tag = { number: 'INPUT', text: 'INPUT', textarea: 'TEXTAREA' }[q.type];
      if (!tag) bad.push(`${where}: unknown type ${q.type}`);
      else if (!el || el.tagName !== tag || el.name !== q.id || !fs.contains(el)) bad.push(`${where}: #ws-${q.id}`);
      else {
        if (q.type !== 'textarea' && el.type !== q.type) bad.push(`${where}: input type ${el.type}`);
        if (q.type === 'number')
          for (const k of ['min', 'max', 'step']) if (q[k] !== undefined && el.getAttribute(k) !== String(q[k])) bad.push(`${where}: ${k}`);
        if (q.max_length !== undefined && el.maxLength !== q.max_length) bad.push(`${where}: maxlength`);
      }
    }
    if (Array.isArray(q.correct)) {
      const fb = fs.querySelector('.ws-feedback');
      if (!fb || !fb.hidden || !fb.querySelector('.ws-verdict') || !fb.querySelector('.ws-explain')) bad.push(`${where}: .ws-feedback[hidden] with .ws-verdict and .ws-explain`);
    }
  }
  if (!document.querySelector('script[src*="worksheet"][defer]')) bad.push('no <script src=…worksheet….js defer>');
  if (document.querySelectorAll('script:not([src]):not([type="application/json"])').length) bad.push('inline script');
  return bad;
}

test('built: sheaf build succeeds on the worksheet test site', { skip: built.skip }, () => {
  assert.equal(buildError, null);
});

for (const p of PAGES) {
  test(`built: ${p} follows the worksheet HTML/JSON contract`, opts, async () => {
    const b = await launch({ javaScriptEnabled: false });
    try {
      const page = await b.context.newPage();
      await page.goto(url(p));
      assert.deepEqual(await page.evaluate(contractProblems), []);
    } finally {
      await b.close();
    }
  });

  test(`built: ${p} works under CSP: answers, result, reload, share link in a fresh profile`, opts, async () => {
    await withPage((page) => shareRoundTrip(page, url(p)));
  });

  test(`built: ${p} refuses a hostile link`, opts, async () => {
    await withPage(async (page) => {
      await gotoWorksheet(page, url(p));
      const id = await page.evaluate(() => document.querySelector('form.worksheet').dataset.worksheet);
      const n = await page.evaluate(() => document.getElementsByTagName('*').length);
      await page.goto(url(''));
      await gotoWorksheet(page, url(p) + encodeFragment({ w: id, v: 1, r: '<img src=x onerror=alert(1)>', a: { '<svg onload=alert(2)>': '<img src=x onerror=alert(3)>' } }, 'z'));
      assert.match((await readUi(page)).message, /Nothing was restored/);
      assert.equal(await page.evaluate(() => document.getElementsByTagName('*').length), n);
      assert.equal(await page.evaluate(() => ({}).polluted), undefined);
    });
  });

  test(`built: ${p} has no serious accessibility violations (axe, light and dark)`, opts, async () => {
    await withPage(async (page) => {
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        await gotoWorksheet(page, url(p));
        await answerAll(page);
        await page.addScriptTag({ url: '/vendor/axe.min.js' });
        const v = await page.evaluate(async () =>
          (await window.axe.run(document, { resultTypes: ['violations'] })).violations
            .filter((x) => x.impact === 'serious' || x.impact === 'critical')
            .map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        );
        assert.deepEqual(v, [], scheme);
      }
    });
  });

  test(`built: ${p} result pages have no serious accessibility violations (axe, light and dark)`, opts, async () => {
    await withPage(async (page) => {
      await page.goto(url(p));
      const urls = await page.evaluate(() => JSON.parse(document.getElementById('ws-definition').textContent).results.map((r) => r.url));
      for (const u of urls) {
        for (const scheme of ['light', 'dark']) {
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(site.server.url(u));
          assert.match(await page.title(), /\S/, `${u} has a title`);
          await page.addScriptTag({ url: '/vendor/axe.min.js' });
          const v = await page.evaluate(async () =>
            (await window.axe.run(document, { resultTypes: ['violations'] })).violations
              .filter((x) => x.impact === 'serious' || x.impact === 'critical')
              .map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`),
          );
          assert.deepEqual(v, [], `${u} (${scheme})`);
        }
      }
    });
  });

  test(`built: ${p} links to a page for every result`, opts, async () => {
    await withPage(async (page) => {
      await page.goto(url(p));
      const urls = await page.evaluate(() => JSON.parse(document.getElementById('ws-definition').textContent).results.map((r) => r.url));
      for (const u of urls) {
        assert.ok(u.startsWith(BASE), `${u} carries the base path`);
        const r = await page.request.get(site.server.url(u));
        assert.equal(r.status(), 200, u);
        assert.match(r.headers()['content-type'], /^text\/html/);
      }
    });
  });
}

test('built: the served worksheet.js is the theme’s', opts, async () => {
  await withPage(async (page) => {
    await page.goto(url(PAGES[0]));
    const src = await page.evaluate(() => document.querySelector('script[src*="worksheet"]').src);
    const served = await (await fetch(src)).text();
    // Served minified (src/render/minify.rs): every plain string literal of the source is
    // still in it, whatever quotes the minifier chose.
    const source = fs.readFileSync(path.join(STATIC, 'worksheet.js'), 'utf8');
    assert.ok(served.length < source.length, 'served minified');
    const literals = [...source.matchAll(/'([A-Z][A-Za-z ,.:;!?’-]{11,})'/g)].map((m) => m[1]);
    assert.ok(literals.length > 10, `${literals.length} literals`);
    const missing = literals.filter((l) => !served.includes(l));
    assert.deepEqual(missing, [], 'rebuild the binary: it embeds the theme');
  });
});

test('built: answers are saved under the site’s base path (issue #13 item 13)', opts, async () => {
  await withPage(async (page) => {
    for (const p of PAGES) {
      await gotoWorksheet(page, url(p));
      const def = await answerAll(page);
      const keys = await page.evaluate(() => Object.keys(localStorage));
      assert.ok(keys.includes(`sheaf:ws:${BASE}:${def.id}:v${def.version}`), keys.join());
    }
    assert.equal((await page.evaluate(() => Object.keys(localStorage))).length, PAGES.length);
  });
});

// Share links on a result page (partials/share.html, share.js), under the strict CSP: plain
// LinkedIn and X links carrying the page's own absolute URL, and a copy button that share.js
// reveals and that puts that URL on the clipboard.
test('built: result pages have share links and a working copy button', opts, async () => {
  await withPage(async (page) => {
    await page.goto(url('worksheets/network-health/result/quiet/'));
    const own = await page.evaluate(() => document.querySelector('link[rel=canonical]').href);
    assert.equal(own, 'https://example.org/guide/worksheets/network-health/result/quiet/');
    const links = await page.evaluate(() =>
      [...document.querySelectorAll('.share a')].map((a) => new URL(a.href)));
    const [linkedin, x] = await page.evaluate(() =>
      [...document.querySelectorAll('.share a')].map((a) => a.href));
    assert.equal(links.length, 2);
    assert.equal(new URL(linkedin).searchParams.get('url'), own);
    assert.equal(new URL(linkedin).host, 'www.linkedin.com');
    assert.equal(new URL(x).searchParams.get('url'), own);
    assert.match(new URL(x).searchParams.get('text'), /Quiet/);
    const copy = page.locator('.share-copy');
    await copy.waitFor({ state: 'visible' });
    await copy.click();
    await page.locator('.share-status', { hasText: 'Link copied.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), own);
  });
});
