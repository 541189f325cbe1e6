#!/usr/bin/env node
// What a reader downloads and waits for when searching a built site, through the theme's own
// search box, in headless Chromium. A measurement, not a test; scripts/bench-search runs it on
// its 10,000-page build.
//
//   node scripts/bench-search-browser.mjs SITE_DIR [BASE_PATH]
//
// The site is served from 127.0.0.1 the way GitHub Pages serves it: text files (HTML, JS,
// JSON) gzipped on the wire, everything else as stored (Pagefind's index files and wasm are
// gzip already). Bytes are counted on the wire by the server.
//  1. bytes for a first query: from focusing the box (nothing is fetched before) until the
//     results for "habit" are shown: Pagefind's script, worker, wasm, entry, meta, index
//     chunks and the fragments of the results shown;
//  2. bytes for a second, different query ("river garden") on the same page;
//  3. time from the last keystroke to results shown, for 20 queries typed one after another
//     into the box: the time between the `keydown` of a query's last character and the
//     status line saying it shows results for that query (debounce, search and drawing).
//     Median and 90th percentile.
// Uses playwright-core from tests/browser/node_modules and /usr/bin/chromium (or $CHROMIUM).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(REPO, 'tests/browser/package.json'));
const { chromium } = require('playwright-core');

const [site, base = '/'] = process.argv.slice(2);
if (!site) {
  console.error('usage: bench-search-browser.mjs SITE_DIR [BASE_PATH]');
  process.exit(2);
}
const QUERIES = [
  'habit', 'garden', 'river', 'compass', 'lamp', 'patience', 'silence', 'archive', 'notebook',
  'harbour', 'quiet river', 'careful editor', 'slow journey', 'bridge tower', 'memory attention',
  'winter garden', 'ancient map', 'revise draft', 'stone glass', 'signal noise',
];
const TEXT = /\.(html|js|json|css|xml|txt|svg)$/;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml', '.wasm': 'application/wasm' };

let wire = 0;
const requests = [];
const server = http.createServer((req, res) => {
  let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (!rel.startsWith(base)) return res.writeHead(404).end();
  rel = rel.slice(base.length);
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const file = path.join(site, rel);
  if (!file.startsWith(path.resolve(site)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return res.writeHead(404).end();
  let body = fs.readFileSync(file);
  const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'max-age=600' };
  if (TEXT.test(file) && /gzip/.test(req.headers['accept-encoding'] || '')) {
    body = zlib.gzipSync(body, { level: 6 });
    headers['content-encoding'] = 'gzip';
  }
  wire += body.length;
  requests.push(rel);
  res.writeHead(200, { ...headers, 'content-length': body.length }).end(body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
const page = await (await browser.newContext()).newPage();
await page.goto(origin + base, { waitUntil: 'load' });
const box = page.locator('#site-search-q');

/** Types `q` into the emptied box; resolves with the ms from its last keydown to results shown. */
async function typed(q) {
  await box.fill('');
  await page.evaluate((text) => {
    window.__shown = new Promise((resolve) => {
      const status = document.querySelector('.site-search-status');
      const done = () => status.textContent.endsWith(`for \u201c${text}\u201d`);
      const last = text[text.length - 1];
      let t0 = 0;
      document.querySelector('#site-search-q').addEventListener('keydown', (e) => {
        if (e.key === last) t0 = performance.now();
      });
      new MutationObserver((_, obs) => {
        if (t0 && done() && document.querySelector('#site-search-q').value === text) {
          obs.disconnect();
          resolve(performance.now() - t0);
        }
      }).observe(status, { childList: true, characterData: true, subtree: true });
    });
  }, q);
  await page.keyboard.type(q, { delay: 60 });
  return page.evaluate(() => window.__shown);
}

const before = wire;
await box.focus();
await typed(QUERIES[0]);
const first = wire - before;
const mid = wire;
await typed('river garden');
const second = wire - mid;
const times = [];
for (const q of QUERIES) times.push(await typed(q));
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];

console.log(`  first query             ${(first / 1024).toFixed(0).padStart(6)} KB on the wire (library, wasm and index included)`);
console.log(`  second query            ${(second / 1024).toFixed(0).padStart(6)} KB`);
console.log(`  keystroke to results    ${pct(0.5).toFixed(0).padStart(6)} ms median, ${pct(0.9).toFixed(0)} ms p90 (${times.length} queries)`);
await browser.close();
server.close();
