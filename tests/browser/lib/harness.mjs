// Shared helpers for the browser tests: a tiny static server on 127.0.0.1, Chromium launched
// with the flags from /work/shared/TESTING.md in a fresh profile, per-page error collection,
// and share-link encoding/decoding on the Node side.
import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const TESTS = path.resolve(HERE, '..');
export const REPO = path.resolve(TESTS, '../..');
export const STATIC = path.join(REPO, 'themes/default/static');
export const FIXTURES = path.join(TESTS, 'fixtures');
export const AXE = path.join(TESTS, 'node_modules/axe-core/axe.min.js');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// TESTING.md: flags that work on these machines (as root, offline). Playwright adds its own
// automation switches and the --user-data-dir of the fresh profile.
export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.woff2': 'font/woff2',
};

const CSP_META = /<meta http-equiv="Content-Security-Policy"[^>]*>\n?/i;

/**
 * Serve folders on 127.0.0.1 at an ephemeral port. `mounts` maps URL prefixes to a folder or
 * file, or to `{ dir, headers }` (extra response headers, e.g. a CSP); the longest prefix wins.
 * `/nocsp/<path>` serves the same HTML as `/<path>` with the CSP <meta> removed, for tests
 * that need to show the script is safe even without CSP.
 */
export async function startServer(mounts = defaultMounts()) {
  const entries = Object.entries(mounts)
    .map(([prefix, m]) => (typeof m === 'string' ? [prefix, m, {}] : [prefix, m.dir, m.headers || {}]))
    .sort((a, b) => b[0].length - a[0].length);
  const server = http.createServer((req, res) => {
    const fail = (code) => {
      res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(code));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405);
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return fail(400);
    }
    let stripCsp = false;
    if (pathname.startsWith('/nocsp/')) {
      stripCsp = true;
      pathname = pathname.slice('/nocsp'.length);
    }
    if (pathname.includes('\0')) return fail(400);
    const mount = entries.find(([prefix]) => pathname.startsWith(prefix));
    if (!mount) return fail(404);
    const [prefix, target, headers] = mount;
    let file;
    if (!fs.existsSync(target)) return fail(404);
    if (fs.statSync(target).isFile()) {
      if (pathname !== prefix) return fail(404);
      file = target;
    } else {
      const root = path.resolve(target);
      file = path.resolve(root, '.' + path.posix.normalize('/' + pathname.slice(prefix.length)));
      if (file !== root && !file.startsWith(root + path.sep)) return fail(403);
      try {
        if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      } catch {
        return fail(404);
      }
    }
    let body;
    try {
      body = fs.readFileSync(file);
    } catch {
      return fail(404);
    }
    const ext = path.extname(file).toLowerCase();
    if (stripCsp && ext === '.html') body = Buffer.from(body.toString('utf8').replace(CSP_META, ''));
    res.writeHead(200, {
      'content-type': MIME[ext] || 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    url: (p) => `http://127.0.0.1:${port}${p}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export function defaultMounts() {
  return {
    '/': FIXTURES,
    '/theme/': STATIC,
    '/vendor/axe.min.js': AXE,
  };
}

/** A Chromium with a fresh profile (its own --user-data-dir, deleted on close). */
export async function launch(options = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sheaf-browser-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: false, // --headless=new is in CHROMIUM_FLAGS, exactly as TESTING.md lists it
      args: CHROMIUM_FLAGS,
      viewport: { width: 1000, height: 900 },
      locale: 'en-GB',
      timeout: 60_000,
      ...options,
    });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    context,
    dir,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Open a page that records console errors, page errors, CSP violations and dialogs.
 * `options.noClipboard` removes navigator.clipboard (to exercise the manual-copy fallback);
 * `options.stubPrint` replaces window.print with a counter; `options.countInflate` counts the
 * bytes fed into DecompressionStream (window.__inflateIn); `options.slowInflate` (ms) holds back
 * each chunk DecompressionStream puts out, so a `z` link stays loading that long (a `j` link
 * does not use it); `options.clipboardRejects` (ms) makes clipboard.writeText fail after that
 * long, as a refused permission prompt does.
 */
export async function openPage(context, options = {}) {
  const page = await context.newPage();
  const problems = [];
  const dialogs = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'assert') {
      const where = m.location()?.url;
      problems.push(`console.${m.type()}: ${m.text()}${where ? ` (${where})` : ''}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`http ${r.status()}: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  // Init scripts are injected by the browser itself, before any page script, and are not
  // subject to the page's CSP.
  await page.addInitScript(
    ({ noClipboard, stubPrint, countInflate, slowInflate, clipboardRejects }) => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
      if (noClipboard) Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
      if (countInflate) {
        // Count the compressed bytes the page feeds into DecompressionStream, to show that a
        // deflate bomb is abandoned after reading only a little of it.
        const Real = window.DecompressionStream;
        window.__inflateIn = 0;
        window.DecompressionStream = function (format) {
          const real = new Real(format);
          const counter = new TransformStream({
            transform(chunk, c) {
              window.__inflateIn += chunk.byteLength;
              c.enqueue(chunk);
            },
          });
          counter.readable.pipeTo(real.writable).catch(() => {});
          return { writable: counter.writable, readable: real.readable };
        };
      }
      if (slowInflate) {
        const Real = window.DecompressionStream;
        window.DecompressionStream = function (format) {
          const real = new Real(format);
          const hold = new TransformStream({
            async transform(chunk, c) {
              await new Promise((r) => setTimeout(r, slowInflate));
              c.enqueue(chunk);
            },
          });
          real.readable.pipeTo(hold.writable).catch(() => {});
          return { writable: real.writable, readable: hold.readable };
        };
      }
      if (clipboardRejects) {
        const clipboard = {
          writeText: () =>
            new Promise((_, reject) => setTimeout(() => reject(new DOMException('Write permission denied.', 'NotAllowedError')), clipboardRejects)),
        };
        Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => clipboard });
      }
      if (stubPrint) {
        window.__printed = 0;
        window.print = () => {
          window.__printed++;
        };
      }
    },
    {
      noClipboard: !!options.noClipboard,
      stubPrint: !!options.stubPrint,
      countInflate: !!options.countInflate,
      slowInflate: options.slowInflate || 0,
      clipboardRejects: options.clipboardRejects || 0,
    },
  );
  page.problems = problems;
  page.dialogs = dialogs;
  /** Everything that went wrong in this page: console errors, uncaught errors, CSP, dialogs. */
  page.trouble = async () => {
    let csp = [];
    try {
      csp = await page.evaluate(() => window.__csp || []);
    } catch {
      // page closed or navigating
    }
    return [...problems, ...csp.map((c) => `csp: ${c}`), ...dialogs.map((d) => `dialog: ${d}`)];
  };
  return page;
}

/** Load a worksheet page and wait for the script to have run (it unhides .ws-actions). */
export async function gotoWorksheet(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  try {
    await page.waitForSelector('.ws-actions:not([hidden])', { state: 'attached', timeout: 10_000 });
  } catch (e) {
    throw new Error(`worksheet.js did not start on ${url}: ${JSON.stringify(await page.trouble())}`, { cause: e });
  }
  // Opening a share link is asynchronous (decompression); wait until it has settled.
  await settle(page);
}

/** Wait until a share link in the address bar (if any) has been handled. */
export async function settle(page) {
  await page.waitForFunction(
    () => {
      if (!location.hash.startsWith('#ws1.')) return true;
      const banner = document.querySelector('.ws-banner');
      const msg = document.querySelector('.ws-message');
      return (banner && !banner.hidden) || (msg && !msg.hidden);
    },
    null,
    { timeout: 10_000 },
  );
}

// ---------------------------------------------------------------- share links (Node side)

export const b64url = (buf) => Buffer.from(buf).toString('base64url');

/** Encode a payload object (or a raw JSON string) the way worksheet.js does. */
export function encodeFragment(payload, codec = 'j') {
  const json = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const raw = Buffer.from(json, 'utf8');
  const data = codec === 'z' ? zlib.deflateRawSync(raw) : raw;
  return `#ws1.${codec}.${b64url(data)}`;
}

/** Decode a share link's fragment; returns { codec, json, payload }. */
export function decodeLink(link) {
  const hash = new URL(link).hash;
  const m = /^#ws1\.([jz])\.([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m) throw new Error(`not a share link: ${link}`);
  let bytes = Buffer.from(m[2], 'base64url');
  if (m[1] === 'z') bytes = zlib.inflateRawSync(bytes);
  const json = bytes.toString('utf8');
  return { codec: m[1], json, payload: JSON.parse(json) };
}

// ---------------------------------------------------------------- reading worksheet state

/** The visible answers of every question, read from the DOM (share:false included). */
export function readAnswers(page) {
  return page.evaluate(() => {
    const out = {};
    for (const fs of document.querySelectorAll('fieldset.ws-q')) {
      const id = fs.dataset.q;
      const type = fs.dataset.type;
      if (type === 'rank') {
        out[id] = [...fs.querySelectorAll('.ws-rank > li')].map((li) => li.dataset.option);
      } else if (type === 'single' || type === 'scale') {
        const c = fs.querySelector('input:checked');
        out[id] = c ? c.value : null;
      } else if (type === 'multi' || type === 'checklist') {
        out[id] = [...fs.querySelectorAll('input:checked')].map((i) => i.value);
      } else {
        out[id] = fs.querySelector('input, textarea').value;
      }
    }
    return out;
  });
}

export const BLANK_TOP = {
  'last-message': null,
  'reach-time': null,
  channels: [],
  habits: [],
  contacts: '',
  headline: '',
  notes: '',
  'two-people': '',
  priorities: ['dm', 'net', 'algo'],
  quiz: null,
};

/** State of the result area, banner and message. */
export function readUi(page) {
  return page.evaluate(() => {
    const q = (s) => document.querySelector(s);
    const shown = [...document.querySelectorAll('.ws-result-item')].filter((e) => !e.hidden);
    return {
      result: shown.map((e) => e.dataset.result),
      status: q('.ws-status').textContent,
      banner: q('.ws-banner').hidden ? null : q('.ws-banner-text').textContent,
      message: q('.ws-message').hidden ? null : q('.ws-message').textContent,
      hash: location.hash,
    };
  });
}

export function storageOf(page, key) {
  return page.evaluate((k) => localStorage.getItem(k), key);
}

// ---------------------------------------------------------------- test sessions

/**
 * One server and one browser (fresh profile) for a test file; `options.permissions` are granted
 * to the server's origin (e.g. clipboard-read); `options.mounts` replaces the server's mounts. `s.withPage(fn, options)` opens
 * a page with an empty localStorage for the origin, runs `fn(page)`, then asserts that nothing
 * went wrong in it (console errors, uncaught errors, CSP violations, dialogs).
 */
export function session(options = {}) {
  const s = {};
  before(async () => {
    s.server = await startServer(options.mounts);
    s.browser = await launch();
    s.url = s.server.url;
    s.origin = s.server.origin;
    if (options.permissions) await s.browser.context.grantPermissions(options.permissions, { origin: s.origin });
  });
  after(async () => {
    await s.browser?.close();
    await s.server?.close();
  });
  s.withPage = async (fn, options = {}) => {
    const page = await openPage(options.context || s.browser.context, options);
    try {
      if (!options.keepStorage) await clearStorage(page, s.url('/blank.html'));
      await fn(page);
      assert.deepEqual(await page.trouble(), [], 'no console errors, page errors, CSP violations or dialogs');
    } finally {
      await page.close();
    }
  };
  return s;
}

export async function clearStorage(page, blankUrl) {
  await page.goto(blankUrl);
  await page.evaluate(() => localStorage.clear());
}

/** Press Tab until the focused element matches `selector` (keyboard-only navigation). */
export async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => !!document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

export function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const li = e.closest('li[data-option]');
    if (e.dataset.action) return `${e.tagName.toLowerCase()}[data-action=${e.dataset.action}]`;
    return (e.id ? '#' + e.id : e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')) +
      (li ? ` in ${li.dataset.option}` : '') + (e.dataset.move ? ` ${e.dataset.move}` : '');
  });
}

/** Fill answers through the page's own controls (clicks and typing, as a user would). */
export async function fill(page, answers) {
  for (const [id, v] of Object.entries(answers)) {
    const type = await page.getAttribute(`fieldset[data-q="${id}"]`, 'data-type');
    if (type === 'single' || type === 'scale') await page.check(`#ws-${id}-${v}`);
    else if (type === 'multi' || type === 'checklist') for (const o of v) await page.check(`#ws-${id}-${o}`);
    else if (type === 'rank') {
      for (let i = 0; i < v.length; i++) {
        for (;;) {
          const order = (await readAnswers(page))[id];
          if (order.indexOf(v[i]) <= i) break;
          await page.click(`fieldset[data-q="${id}"] li[data-option="${v[i]}"] button[data-move=up]`);
        }
      }
    } else await page.fill(`#ws-${id}`, String(v));
  }
}

/** Answer every question through the page (first choices, small numbers, some text). */
export async function answerAll(page) {
  const def = await page.evaluate(() => JSON.parse(document.getElementById('ws-definition').textContent));
  for (const q of def.questions) {
    if (q.type === 'single' || q.type === 'scale' || q.type === 'multi' || q.type === 'checklist') {
      await page.locator(`#q-${q.id} .ws-options input`).first().check();
    } else if (q.type === 'number') {
      await page.fill(`#ws-${q.id}`, String(q.min ?? 1));
    } else if (q.type === 'text' || q.type === 'textarea') {
      await page.fill(`#ws-${q.id}`, `answer to ${q.id}`);
    } else if (q.type === 'rank') {
      await page.locator(`#q-${q.id} li:last-child button[data-move=up]`).click();
    }
  }
  return def;
}

/** Every question's value as [id, value] pairs, read from the DOM (for equality checks). */
export const worksheetState = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('fieldset.ws-q')].map((fs) => [
      fs.dataset.q,
      fs.dataset.type === 'rank'
        ? [...fs.querySelectorAll('li')].map((l) => l.dataset.option).join()
        : [...fs.querySelectorAll('input, textarea')].map((i) => (i.type === 'radio' || i.type === 'checkbox' ? (i.checked ? i.value : '') : i.value)).join('|'),
    ]),
  );

/**
 * The whole life of a worksheet's answers, on the worksheet at `pageUrl` opened in `page`
 * (whose context may read the clipboard): every question answered, one result shown, the
 * answers kept over a reload (autosave), Copy link (share:false answers left out), and the
 * link opened in a fresh profile restoring every shared answer under "Viewing shared answers",
 * with nothing going wrong there either. Returns the share link.
 */
export async function shareRoundTrip(page, pageUrl) {
  await gotoWorksheet(page, pageUrl);
  const def = await answerAll(page);
  const ui = await readUi(page);
  assert.equal(ui.result.length, 1, 'one result shown');
  assert.match(ui.status, /^(\d+) of \1 answered\.$/);
  const answered = await worksheetState(page);
  await page.reload();
  await gotoWorksheet(page, pageUrl);
  assert.deepEqual(await worksheetState(page), answered, 'answers survive a reload');
  await page.click('button[data-action=copy-link]');
  await page.waitForFunction(() => !document.querySelector('.ws-message').hidden);
  const link = await page.evaluate(() => navigator.clipboard.readText());
  const { payload } = decodeLink(link);
  assert.equal(payload.w, def.id);
  assert.equal(payload.r, def.hash);
  for (const q of def.questions) if (q.share === false) assert.ok(!(q.id in payload.a), `${q.id} is share:false`);
  assert.ok(link.startsWith(pageUrl + '#ws1.'), link);
  const privateIds = new Set(def.questions.filter((q) => q.share === false).map((q) => q.id));
  const shared = (state) => state.filter(([id]) => !privateIds.has(id));
  const fresh = await launch();
  try {
    const other = await openPage(fresh.context);
    await gotoWorksheet(other, link);
    assert.equal((await readUi(other)).banner, 'Viewing shared answers.');
    assert.deepEqual(shared(await worksheetState(other)), shared(answered), 'shared answers restored');
    assert.deepEqual(await other.trouble(), [], 'nothing went wrong in the fresh profile');
  } finally {
    await fresh.close();
  }
  return link;
}

/**
 * Serves a built site to one test file's tests: before them, starts the static server on
 * `mounts()` and Chromium, then runs `ready(site)`; after them, closes both and removes `out`.
 * Returns the object whose `server` and `browser` the tests use; nothing starts when `skip`.
 */
export function serveBuilt({ out, skip, mounts, ready }) {
  const site = { server: null, browser: null };
  before(async () => {
    if (skip) return;
    site.server = await startServer(mounts());
    site.browser = await launch();
    if (ready) await ready(site);
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
    if (out) fs.rmSync(out, { recursive: true, force: true });
  });
  return site;
}

/**
 * `sheaf build` of the site at `root` for `https://example.org<base>` into `<out>/site`, a fresh
 * temporary folder, run once when a test file loads. The binary is $SHEAF_BIN, else
 * target/release/sheaf (scripts/browser-tests builds it). Returns `{ out, skip, buildError }`:
 * `skip` says why nothing was built (no binary), `buildError` holds the output of a failed build.
 */
export function buildForTests(root, base, prefix) {
  const bin = process.env.SHEAF_BIN || path.join(REPO, 'target/release/sheaf');
  if (!fs.existsSync(bin)) return { out: null, skip: `no sheaf binary at ${bin} (set SHEAF_BIN or cargo build --release)`, buildError: null };
  const out = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const r = spawnSync(bin, ['build', '--root', root, '--output', out + '/site', '--base-url', 'https://example.org' + base], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const buildError = r.status === 0 ? null : `sheaf build of ${root} failed (${r.status}):\n${r.stdout}${r.stderr}`;
  return { out, skip: false, buildError };
}
