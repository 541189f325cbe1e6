// `sheaf serve` live preview (DESIGN.md section 7) in a real browser: each test copies
// tests/browser/site (worksheets) plus two essays, a site stylesheet and an on-disk copy of the
// default theme to a temp folder, starts `sheaf serve --root <copy> --port 0`, edits the copy
// the way editors save (temp file + rename) and watches open pages react:
//  - a reload keeps the scroll position and the worksheet answers, and never shows a 404;
//  - a CSS edit (site static/ file, fingerprinted theme stylesheet) applies without a reload;
//  - a broken build shows the error overlay (file:line) over the last good page, on the 404
//    page too, and the fix clears it;
//  - a renamed essay: old URL becomes the 404 page, new URL and the section list follow;
//  - nothing is lost between a page's load and its event-stream subscription (the first event
//    names the current build; a page served from an older one reloads), and a site broken
//    from the first build still shows the overlay and loads once fixed.
// The binary is $SHEAF_BIN, else target/release/sheaf (scripts/browser-tests builds it).
// All waits are bounded (WAIT ms) and fail saying what did not happen.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { REPO, TESTS, fill, launch, openPage, readAnswers } from './lib/harness.mjs';

const bin = process.env.SHEAF_BIN || path.join(REPO, 'target/release/sheaf');
const opts = { skip: fs.existsSync(bin) ? false : `no sheaf binary at ${bin} (set SHEAF_BIN or cargo build --release)` };
const WAIT = 10_000;

// --- the site ---------------------------------------------------------------------------------

const LONG = [
  '---',
  'title: Long read',
  'date: 2024-01-10',
  'description: An essay long enough to scroll.',
  '---',
  ...Array.from({ length: 60 }, (_, i) =>
    (i % 10 === 0 ? `## Part ${i / 10 + 1}\n\n` : '') +
    `Paragraph ${i + 1}. ` +
    'Words to scroll past, long enough to wrap across the measure of the page and then some more. '.repeat(4) +
    '\n',
  ),
].join('\n');

const note = (title) => `---\ntitle: ${title}\ndate: 2024-02-01\n---\nA short note to rename and to break.\n`;

/** A fresh copy of the worksheet test site with essays, a site stylesheet and the theme on disk. */
function makeSite() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sheaf-live-'));
  fs.cpSync(path.join(TESTS, 'site'), root, { recursive: true });
  const essays = path.join(root, 'content/essays');
  fs.mkdirSync(essays);
  fs.writeFileSync(path.join(essays, '_index.md'), '---\ntitle: Essays\n---\nEssays for the live-reload tests.\n');
  fs.writeFileSync(path.join(essays, 'long-read.md'), LONG);
  fs.writeFileSync(path.join(essays, 'short-note.md'), note('Short note'));
  // A theme on disk wins over the embedded one, so editing its style.css is a CSS-only change
  // with a new fingerprinted name.
  fs.cpSync(path.join(REPO, 'themes/default'), path.join(root, 'themes/default'), { recursive: true });
  // A site stylesheet (copied as-is, not fingerprinted), linked from an override of the head.
  fs.mkdirSync(path.join(root, 'static'));
  fs.writeFileSync(path.join(root, 'static/live.css'), 'body { color: rgb(1, 2, 3); }\n');
  const head = fs.readFileSync(path.join(REPO, 'themes/default/templates/partials/head.html'), 'utf8');
  fs.mkdirSync(path.join(root, 'templates/partials'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'templates/partials/head.html'),
    head + '<link rel="stylesheet" href="{{ url(path="/live.css") }}">\n',
  );
  return root;
}

/** Save the way editors do: write a temp file beside the target, then rename it over. */
function save(file, text) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function edit(file, from, to) {
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${file} contains ${from}`);
  save(file, text.replace(from, to));
}

// --- the server -------------------------------------------------------------------------------

/** `sheaf serve --port 0` on `root`; resolves once it prints its `serving <url>` line. */
function serve(root) {
  const child = spawn(bin, ['serve', '--root', root, '--port', '0'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const log = () => `stdout:\n${out}\nstderr:\n${err}`;
  /** Wait (bounded) until the server's output has `n` lines matching `re`. */
  const logged = async (what, re, n) => {
    const count = () => (out + err).split('\n').filter((l) => re.test(l)).length;
    const end = Date.now() + WAIT;
    while (count() < n) {
      if (Date.now() > end) throw new Error(`${what}: not within ${WAIT} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sheaf serve printed no serving line in ${WAIT} ms\n${log()}`));
    }, WAIT);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`sheaf serve exited (${code ?? signal}) before serving\n${log()}`));
    });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^serving (http:\/\/127\.0\.0\.1:\d+\/\S*) \(Ctrl-C stops\)$/m.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        base: m[1],
        url: (p) => m[1] + p,
        log,
        /** Wait for the `n`th finished build, good or failed, since the start. */
        built: (n) => logged(`build ${n} finishes`, /^built in \d+ ms|still serving the last good build|the site appears once/, n),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.kill('SIGINT');
          }),
      });
    });
  });
}

// --- pages ------------------------------------------------------------------------------------

let browser;
before(async () => {
  if (!opts.skip) browser = await launch();
});
after(async () => {
  await browser?.close();
});

/**
 * One test: a fresh site copy and server, pages that track the live connection and every
 * document they load; pages closed (so no open event streams) before the server stops.
 */
async function withLive(fn, prepare = () => {}) {
  const root = makeSite();
  prepare(root);
  const server = await serve(root);
  const pages = [];
  const open = async (p, { csp = false } = {}) => {
    const page = await openPage(browser.context);
    pages.push(page);
    // The strict policy a site may send: live.js must work under it (the harness records
    // violations as trouble).
    if (csp)
      await page.route(`${server.base}**`, async (route) => {
        if (route.request().resourceType() !== 'document') return route.continue();
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "default-src 'self'" } });
      });
    // Every document response of the tab, in order: a reload that hit a 404 shows up here.
    page.docs = [];
    page.on('response', (r) => {
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) page.docs.push(r.status());
    });
    // Count live connections, so an edit is only made once the page listens.
    await page.addInitScript(() => {
      const Real = window.EventSource;
      window.__sse = [];
      window.EventSource = class extends Real {
        constructor(...args) {
          super(...args);
          window.__sse.push(this);
        }
      };
    });
    const response = await page.goto(server.url(p), { waitUntil: 'load' });
    if (csp) assert.equal(response.headers()['content-security-policy'], "default-src 'self'");
    await connected(page);
    return page;
  };
  /** Hold back `page`'s next event-stream requests until the returned function is called. */
  const holdEvents = async (page) => {
    let release;
    const held = new Promise((r) => (release = r));
    await page.route('**/__sheaf/events?*', async (route) => {
      await held;
      await route.continue();
    });
    return release;
  };
  try {
    await fn({ root, server, open, holdEvents, file: (rel) => path.join(root, rel) });
  } catch (e) {
    e.message += `\n--- sheaf serve ---\n${server.log()}`;
    throw e;
  } finally {
    for (const page of pages) await page.close().catch(() => {});
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Wait (bounded) until `fn(arg)` is truthy in the page; fail with `what` and the page's trouble. */
async function until(page, what, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: WAIT, polling: 50 });
  } catch (e) {
    let state = '';
    try {
      state = await page.evaluate(() => `${location.href} "${document.title}" scrollY=${scrollY}`);
    } catch {
      // navigating
    }
    throw new Error(`${what}: not within ${WAIT} ms (${state}; ${JSON.stringify(await page.trouble())})`, { cause: e });
  }
}

const connected = (page) =>
  until(page, 'the live-reload event stream connects', () => (window.__sse || []).some((s) => s.readyState === 1));

/** Mark the current document: the mark disappears only if the page really navigates. */
const mark = (page) => page.evaluate(() => (window.__marker = 'before the edit'));
const marked = (page) => page.evaluate(() => window.__marker === 'before the edit');

/** Wait for a real reload that shows `text`, then for the new document's live connection. */
async function reloadedWith(page, what, text) {
  await until(
    page,
    `${what}: the page reloads by itself and shows "${text}"`,
    (t) => window.__marker === undefined && document.readyState === 'complete' && document.body.textContent.includes(t),
    text,
  );
  await connected(page);
}

/** worksheet.js has started (it unhides .ws-actions) and restored what it stored. */
const started = (page) => until(page, 'worksheet.js starts', () => !!document.querySelector('.ws-actions:not([hidden])'));

/** Unanswered state of tests/browser/site's todays-priority worksheet. */
const BLANK = {
  'last-message': null,
  'reach-time': null,
  channels: [],
  habits: [],
  contacts: '',
  headline: '',
  'two-people': '',
  priorities: ['dm', 'net', 'algo'],
  quiz: null,
};

const overlay = (page) => page.evaluate(() => document.querySelector('[data-sheaf-errors]')?.textContent ?? null);
const h1 = (page) => page.evaluate(() => document.querySelector('h1')?.textContent.trim());

/** Trouble other than the document 404s the test expects. */
async function unexpected(page, notFound = []) {
  const expected = new Set(
    notFound.flatMap((u) => [
      `http 404: ${u}`,
      `console.error: Failed to load resource: the server responded with a status of 404 (Not Found) (${u})`,
    ]),
  );
  return (await page.trouble()).filter((t) => !expected.has(t));
}

// --- tests ------------------------------------------------------------------------------------

test('live: an essay edit reloads the page by itself at the same scroll position, never via a 404', opts, () =>
  withLive(async ({ open, file }) => {
    const page = await open('essays/long-read/');
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height > 4000, `the essay is long enough to scroll (${height}px)`);
    const y = 2600;
    await page.evaluate((y) => window.scrollTo(0, y), y);
    await until(page, `the page scrolls to ${y}`, (y) => Math.abs(window.scrollY - y) < 1, y);
    await mark(page);

    edit(file('content/essays/long-read.md'), 'Paragraph 1. ', 'Paragraph 1 (edited once). ');
    await reloadedWith(page, 'first save', 'Paragraph 1 (edited once).');
    await until(page, `scrollY is restored to ${y}`, (y) => Math.abs(window.scrollY - y) <= 3, y);

    // A second save from the restored position: the position survives again.
    await mark(page);
    edit(file('content/essays/long-read.md'), 'Paragraph 30. ', 'Paragraph 30 (edited twice). ');
    await reloadedWith(page, 'second save', 'Paragraph 30 (edited twice).');
    await until(page, `scrollY is restored to ${y} again`, (y) => Math.abs(window.scrollY - y) <= 3, y);

    assert.deepEqual(page.docs, [200, 200, 200], 'one load per save, each a 200 (no 404 in between)');
    assert.deepEqual(await page.trouble(), []);
  }),
);

test('live: a worksheet edit reloads the page and keeps the answers typed so far', opts, () =>
  withLive(async ({ open, file }) => {
    const page = await open('worksheets/todays-priority/');
    await started(page);
    // Half of the nine questions, one of each kind of control among them.
    const answers = {
      'last-message': 'week',
      channels: ['email', 'events'],
      contacts: '7',
      headline: 'Talk to people',
      'two-people': 'Ada and Grace: they asked first.',
    };
    await fill(page, answers);
    assert.deepEqual(await readAnswers(page), { ...BLANK, ...answers });
    await page.evaluate(() => window.scrollTo(0, 400));
    await mark(page);

    edit(file('content/worksheets/todays-priority.md'), 'Answer for today, not for an ideal week.', 'Answer for today only (edited).');
    await reloadedWith(page, 'worksheet save', 'Answer for today only (edited).');
    await started(page);
    assert.deepEqual(await readAnswers(page), { ...BLANK, ...answers }, 'the answers survive the live reload');
    await until(page, 'scrollY is restored to 400', () => Math.abs(window.scrollY - 400) <= 3);

    assert.deepEqual(page.docs, [200, 200]);
    assert.deepEqual(await page.trouble(), []);
  }),
);

test('live: CSS edits (site static/ file and fingerprinted theme stylesheet) apply without a reload', opts, () =>
  withLive(async ({ open, file }) => {
    const page = await open('essays/long-read/');
    const style = (prop) => page.evaluate((p) => getComputedStyle(document.body)[p], prop);
    assert.equal(await style('color'), 'rgb(1, 2, 3)', 'static/live.css applies');
    await page.evaluate(() => window.scrollTo(0, 1200));
    await mark(page);

    // static/live.css: same URL before and after, so the page must refetch it.
    save(file('static/live.css'), 'body { color: rgb(4, 5, 6); }\n');
    await until(page, 'the new static/live.css applies', () => getComputedStyle(document.body).color === 'rgb(4, 5, 6)');
    assert.ok(await marked(page), 'no reload: window.__marker survives');

    // The theme's style.css: a new fingerprinted name, read from a fresh copy of the page.
    const before = await page.evaluate(() => [...document.querySelectorAll('link[rel~=stylesheet]')].map((l) => l.getAttribute('href')));
    const css = file('themes/default/static/style.css');
    save(css, fs.readFileSync(css, 'utf8') + '\nbody { background-color: rgb(7, 8, 9); }\n');
    await until(page, 'the edited theme style.css applies', () => getComputedStyle(document.body).backgroundColor === 'rgb(7, 8, 9)');
    assert.ok(await marked(page), 'no reload: window.__marker survives');
    assert.equal(await style('color'), 'rgb(4, 5, 6)', 'the site stylesheet still applies');
    const now = await page.evaluate(() => [...document.querySelectorAll('link[rel~=stylesheet]')].map((l) => l.getAttribute('href')));
    assert.equal(now.length, before.length, 'no stylesheet added or lost');
    assert.notEqual(now.find((h) => h.includes('/style.')), before.find((h) => h.includes('/style.')), 'style.css has a new fingerprint');
    assert.equal(await page.evaluate(() => window.scrollY), 1200, 'the scroll position did not move');

    assert.deepEqual(page.docs, [200], 'one document load only');
    assert.deepEqual(await page.trouble(), []);
  }),
);

test('live: a broken build shows the error overlay over the last good page and on the 404 page; the fix clears it', opts, () =>
  withLive(async ({ server, open, file }) => {
    const md = file('content/essays/short-note.md');
    const page = await open('essays/short-note/', { csp: true });
    assert.equal(await h1(page), 'Short note');
    assert.equal(await overlay(page), null, 'no overlay on a good build');
    await mark(page);

    save(md, note('[unclosed'));
    await until(page, 'the error overlay appears', () => !!document.querySelector('[data-sheaf-errors]'));
    const text = await overlay(page);
    assert.match(text, /content\/essays\/short-note\.md:2:\d+/, 'the overlay names the file and line');
    assert.ok(await page.locator('[data-sheaf-errors]').isVisible(), 'the overlay is visible');
    assert.deepEqual(
      await page.evaluate(() => {
        const o = document.querySelector('[data-sheaf-errors]');
        const pre = getComputedStyle(o.querySelector('pre'));
        return [pre.color === getComputedStyle(o).color, pre.backgroundColor];
      }),
      [true, 'rgba(0, 0, 0, 0)'],
      "the overlay styles its own text: the theme's pre colours do not apply",
    );
    assert.equal(await h1(page), 'Short note', 'the last good page stays underneath');
    assert.ok(await marked(page), 'no reload for a failed build');

    // Pages opened while the build is broken show the errors too: a missing URL (the 404
    // page) and a good page.
    const missing = await open('no-such-page/');
    assert.equal(await h1(missing), 'Page not found');
    await until(missing, 'the overlay appears on the 404 page', () => !!document.querySelector('[data-sheaf-errors]'));
    assert.match(await overlay(missing), /content\/essays\/short-note\.md:2:\d+/);
    const home = await open('');
    await until(home, 'the overlay appears on a page opened during the failure', () => !!document.querySelector('[data-sheaf-errors]'));
    await mark(missing);
    await mark(home);

    save(md, note('Short note, fixed'));
    await reloadedWith(page, 'the fix', 'Short note, fixed');
    assert.equal(await h1(page), 'Short note, fixed');
    assert.equal(await overlay(page), null, 'the overlay is gone after the fix');
    await until(missing, 'the 404 page reloads after the fix', () => window.__marker === undefined && document.readyState === 'complete');
    await connected(missing);
    assert.equal(await overlay(missing), null, 'the overlay is gone from the 404 page');
    assert.equal(await h1(missing), 'Page not found');
    await until(home, 'the home page reloads after the fix', () => window.__marker === undefined && document.readyState === 'complete');
    assert.equal(await overlay(home), null);

    assert.deepEqual(page.docs, [200, 200]);
    assert.deepEqual(missing.docs, [404, 404]);
    assert.deepEqual(await page.trouble(), []);
    assert.deepEqual(await unexpected(missing, [server.url('no-such-page/')]), []);
    assert.deepEqual(await home.trouble(), []);
  }),
);

test('live: a renamed essay moves: the old URL becomes the 404 page, the new URL and the list follow', opts, () =>
  withLive(async ({ server, open, file }) => {
    const oldPage = await open('essays/short-note/');
    const newPage = await open('essays/renamed-note/');
    const list = await open('essays/');
    assert.equal(await h1(oldPage), 'Short note');
    assert.equal(await h1(newPage), 'Page not found');
    const links = (page) => page.evaluate(() => [...document.querySelectorAll('main a')].map((a) => new URL(a.href).pathname));
    assert.ok((await links(list)).some((p) => p.endsWith('/essays/short-note/')), 'the list links the essay');
    for (const p of [oldPage, newPage, list]) await mark(p);

    fs.renameSync(file('content/essays/short-note.md'), file('content/essays/renamed-note.md'));

    await until(oldPage, 'the old URL becomes the 404 page', () =>
      window.__marker === undefined && document.readyState === 'complete' && document.querySelector('h1')?.textContent.trim() === 'Page not found');
    await until(newPage, 'the new URL serves the essay', () =>
      window.__marker === undefined && document.readyState === 'complete' && document.querySelector('h1')?.textContent.trim() === 'Short note');
    await until(list, 'the list links the new URL', () =>
      window.__marker === undefined && [...document.querySelectorAll('main a')].some((a) => a.pathname.endsWith('/essays/renamed-note/')));
    assert.ok(!(await links(list)).some((p) => p.endsWith('/essays/short-note/')), 'the list no longer links the old URL');

    // No flash: each tab went straight from its old state to its new one.
    assert.deepEqual(oldPage.docs, [200, 404], 'old URL: one reload, straight to the 404 page');
    assert.deepEqual(newPage.docs, [404, 200], 'new URL: one reload, straight to the essay');
    assert.deepEqual(list.docs, [200, 200], 'the list: one reload, never a 404');
    assert.deepEqual(await unexpected(oldPage, [server.url('essays/short-note/')]), []);
    assert.deepEqual(await unexpected(newPage, [server.url('essays/renamed-note/')]), []);
    assert.deepEqual(await list.trouble(), []);
  }),
);

// The event stream connects only after the page has loaded; whatever happens in between must
// not be lost. Holding the stream request back makes that window as long as the test needs.

test('live: the error overlay can be dismissed from the keyboard to see the last good page; the next failed build shows it again', opts, () =>
  withLive(async ({ open, file }) => {
    const md = file('content/essays/short-note.md');
    const page = await open('essays/short-note/', { csp: true });
    await mark(page);
    save(md, note('[unclosed'));
    await until(page, 'the error overlay appears', () => !!document.querySelector('[data-sheaf-errors]'));
    const close = page.locator('[data-sheaf-errors] button[data-sheaf-dismiss]');
    assert.match(await close.getAttribute('aria-label'), /Dismiss/);
    await close.focus();
    await page.keyboard.press('Enter');
    assert.equal(await overlay(page), null, 'the overlay is dismissed');
    assert.ok(await page.locator('h1').isVisible(), 'the last good page is visible');
    assert.equal(await h1(page), 'Short note');
    assert.ok(await marked(page), 'no reload');
    save(md, note('[still unclosed'));
    await until(page, 'the next failed build shows the overlay again', () => !!document.querySelector('[data-sheaf-errors]'));
    await page.keyboard.press('Escape');
    assert.equal(await overlay(page), null, 'Escape dismisses it too');
    assert.deepEqual(await page.trouble(), []);
  }),
);

test('live: a build that fails while the page is still connecting shows the overlay', opts, () =>
  withLive(async ({ server, open, holdEvents, file }) => {
    const page = await open('essays/short-note/');
    const release = await holdEvents(page);
    await page.reload({ waitUntil: 'load' });
    save(file('content/essays/short-note.md'), note('[unclosed'));
    await server.built(2);
    release();
    await connected(page);
    await until(page, 'the error overlay appears', () => !!document.querySelector('[data-sheaf-errors]'));
    assert.match(await overlay(page), /content\/essays\/short-note\.md:2:\d+/);
    assert.deepEqual(await page.trouble(), []);
  }),
);

test(
  'live: a save made while the page is still connecting is not lost',
  opts,
  () =>
    withLive(async ({ server, open, holdEvents, file }) => {
      const page = await open('essays/long-read/');
      await mark(page);
      const release = await holdEvents(page);
      edit(file('content/essays/long-read.md'), 'Paragraph 1. ', 'Paragraph 1 (first save). ');
      // The reload happens; the new document's event stream is held back.
      await until(page, 'the first save reloads the page', () =>
        window.__marker === undefined && document.body.textContent.includes('Paragraph 1 (first save).'));
      edit(file('content/essays/long-read.md'), 'Paragraph 2. ', 'Paragraph 2 (second save). ');
      await server.built(3);
      release();
      await connected(page);
      await until(page, 'the second save shows', () => document.body.textContent.includes('Paragraph 2 (second save).'));
    }),
);

test(
  'live: a site broken from the start shows the overlay, and the fix loads the page',
  opts,
  () =>
    withLive(
      async ({ server, open, file }) => {
        const page = await open('essays/long-read/');
        await until(page, 'the error overlay appears', () => !!document.querySelector('[data-sheaf-errors]'));
        assert.match(await overlay(page), /content\/essays\/short-note\.md:2:\d+/);
        save(file('content/essays/short-note.md'), note('Short note'));
        await until(page, 'the page loads after the fix', () => document.querySelector('h1')?.textContent.trim() === 'Long read');
        // The page first came as a 404 (and may have made the browser ask for /favicon.ico).
        assert.deepEqual(await unexpected(page, [server.url('essays/long-read/'), new URL('/favicon.ico', server.base).href]), []);
      },
      (root) => fs.writeFileSync(path.join(root, 'content/essays/short-note.md'), note('[unclosed')),
    ),
);

/** The header box's results for `q` on a freshly loaded `p` (a loaded page keeps the index it
 * first read, so each look starts from a new document), as paths. */
async function searchHits(page, server, p, q) {
  await page.goto(server.url(p), { waitUntil: 'load' });
  await page.locator('#site-search-q').focus();
  await page.keyboard.type(q);
  await page.waitForFunction(
    (text) => {
      const status = document.querySelector('.site-search-status')?.textContent || '';
      return status.endsWith(`for \u201c${text}\u201d`) || /not available|could not/i.test(status);
    },
    q,
    { timeout: WAIT },
  );
  return page.$$eval('.site-search-results a.site-search-hit', (as) => as.map((a) => a.getAttribute('href')));
}

/** Looks (bounded) until `q` finds `href`: the preview indexes in the background once saves settle. */
async function findable(page, server, q, href) {
  const end = Date.now() + 30_000;
  let hits = [];
  while (Date.now() < end) {
    hits = await searchHits(page, server, 'essays/long-read/', q);
    if (hits.includes(href)) return hits;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`"${q}" never found ${href} in the preview's search (last: ${JSON.stringify(hits)})`);
}

test(
  'live: search finds an essay once it is saved, and never a page with search: false',
  opts,
  () =>
    withLive(async ({ server, open, file }) => {
      const page = await open('essays/long-read/');
      const base = new URL(server.base).pathname;
      await findable(page, server, 'scroll', `${base}essays/long-read/`);
      save(file('content/essays/kept-out.md'), '---\ntitle: Kept out\ndate: 2024-03-01\nsearch: false\n---\nA private quokkaphant.\n');
      save(file('content/essays/fresh.md'), '---\ntitle: Fresh\ndate: 2024-03-02\n---\nA brand new wombatross essay.\n');
      const hits = await findable(page, server, 'wombatross', `${base}essays/fresh/`);
      assert.deepEqual(hits, [`${base}essays/fresh/`]);
      // The other page saved at the same moment is in the same index, and is not found.
      assert.deepEqual(await searchHits(page, server, 'essays/long-read/', 'quokkaphant'), []);
      const kept = await page.evaluate((u) => fetch(u).then((r) => r.text()), server.url('essays/kept-out/'));
      assert.match(kept, /quokkaphant/, 'the page itself is served');
    }),
);
