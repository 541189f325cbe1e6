// The workbook page (/workbook/, DESIGN.md section 10) as `sheaf build` renders it for
// tests/browser/site, served under /guide/ with `Content-Security-Policy: default-src 'self'`:
//  - each worksheet's progress and result, read from seeded storage records ({r, a, p});
//  - export: "Copy link to all my answers" (#wb1.<codec>.<data>, private answers included) and
//    "Download answers" (a JSON file);
//  - import on a "third device" (a fresh profile) from the link and from the file, after which
//    the worksheet page shows the answers; answers already there are replaced only after an
//    in-page confirmation;
//  - hostile links and files refused with a short message, nothing written, no error;
//  - axe in light and dark.
// Skipped without a binary ($SHEAF_BIN, else target/release/sheaf).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { test } from 'node:test';
import { TESTS, b64url, buildForTests, clearStorage, gotoWorksheet, launch, openPage, readAnswers, serveBuilt } from './lib/harness.mjs';

const SITE = path.join(TESTS, 'site');
const BASE = '/guide/';
const CSP = "default-src 'self'";
const built = buildForTests(SITE, BASE, 'sheaf-workbook-');
const skip = built.skip || (built.buildError ? `the build failed:\n${built.buildError}` : false);
const opts = { skip };

const site = serveBuilt({
  out: built.out,
  skip,
  mounts: () => ({
    [BASE]: { dir: path.join(built.out, 'site'), headers: { 'content-security-policy': CSP } },
    '/vendor/axe.min.js': path.join(TESTS, 'node_modules/axe-core/axe.min.js'),
  }),
  ready: ({ browser, server }) =>
    browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin }),
});

const url = (p) => site.server.url(BASE + p);
const WB = 'workbook/';
const key = (id, v) => `sheaf:ws:${BASE}:${id}:v${v}`;
const TP = key('todays-priority', 2);
const NH = key('network-health', 1);

/** The worksheets as the workbook page embeds them. */
function sheets() {
  const html = fs.readFileSync(path.join(built.out, 'site/workbook/index.html'), 'utf8');
  const json = /<script type="application\/json" id="wb-data">([^<]*)<\/script>/.exec(html)[1];
  return Object.fromEntries(JSON.parse(json).worksheets.map((w) => [w.id, w]));
}

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

/** Opens the workbook (with `seed` records in storage first) and waits for the script. */
async function gotoWorkbook(page, seed = {}, hash = '') {
  await page.goto(url(''));
  await page.evaluate((s) => {
    for (const [k, v] of Object.entries(s)) localStorage.setItem(k, typeof v === 'string' ? v : JSON.stringify(v));
  }, seed);
  await page.goto(url(WB) + hash);
  await page.waitForSelector('.wb-transfer:not([hidden])', { state: 'attached', timeout: 10_000 });
}

const state = (page) =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('.wb-item')].map((li) => {
        const res = li.querySelector('.wb-result');
        return [
          li.dataset.id,
          {
            progress: li.querySelector('.wb-progress').textContent,
            result: res.hidden ? null : [res.querySelector('a').textContent, res.querySelector('a').getAttribute('href')],
            go: li.querySelector('.wb-go').textContent,
          },
        ];
      }),
    ),
  );

const ui = (page) =>
  page.evaluate(() => {
    const q = (s) => document.querySelector(s);
    return {
      message: q('.wb-message').hidden ? null : q('.wb-message').textContent,
      importing: q('.wb-import').hidden ? null : [...document.querySelectorAll('.wb-import-list li')].map((li) => li.textContent),
      note: q('.wb-import-note').hidden ? null : q('.wb-import-note').textContent,
      confirm: q('.wb-confirm').hidden ? null : q('.wb-confirm').textContent,
      hash: location.hash,
    };
  });

const storage = (page) =>
  page.evaluate(() => Object.fromEntries(Object.keys(localStorage).sort().map((k) => [k, JSON.parse(localStorage.getItem(k))])));

const waitMessage = (page) => page.waitForFunction(() => !document.querySelector('.wb-message').hidden);
const waitImport = (page) =>
  page.waitForFunction(() => !document.querySelector('.wb-import').hidden || !document.querySelector('.wb-message').hidden);

/** Seeded answers: everything of todays-priority (the private textarea too), some of network-health. */
function seed() {
  const w = sheets();
  return {
    [TP]: {
      r: w['todays-priority'].r,
      a: { 'last-message': 'older', 'reach-time': 2, channels: ['events'], headline: 'Hi', 'two-people': 'Ann and Bo, privately' },
      p: { done: 4, of: 6, result: 'dm' },
    },
    [NH]: { r: w['network-health'].r, a: { talks: 'few', confidence: 3 } },
  };
}

function encode(payload, codec = 'j') {
  const raw = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return `#wb1.${codec}.${b64url(codec === 'z' ? zlib.deflateRawSync(raw) : raw)}`;
}

function decode(link) {
  const m = /#wb1\.([jz])\.([\w-]+)$/.exec(link);
  assert.ok(m, link);
  let b = Buffer.from(m[2], 'base64url');
  if (m[1] === 'z') b = zlib.inflateRawSync(b);
  return { codec: m[1], payload: JSON.parse(b.toString('utf8')) };
}

test('progress, result and Start/Continue from saved records', opts, async () => {
  await withPage(async (page) => {
    const w = sheets();
    const s = seed();
    await gotoWorkbook(page, { [TP]: s[TP] });
    let got = await state(page);
    assert.deepEqual(got['todays-priority'], {
      progress: '4 of 6 answered.',
      result: ['Send three real messages', '/guide/worksheets/todays-priority/result/dm/'],
      go: 'Continue',
    });
    assert.deepEqual(got['network-health'], { progress: 'Not started.', result: null, go: 'Start' });
    // An older record without `p`: its answers are counted, no result. A record for another
    // structure (`r`): its progress is not trusted. A result key the worksheet lacks: none.
    await gotoWorkbook(page, {
      [NH]: s[NH],
      [TP]: { r: 'deadbeef', a: { headline: 'x' }, p: { done: 6, of: 6, result: 'dm' } },
    });
    got = await state(page);
    assert.deepEqual(got['network-health'], { progress: 'Answers saved: 2.', result: null, go: 'Continue' });
    assert.deepEqual(got['todays-priority'], { progress: 'Answers saved: 1.', result: null, go: 'Continue' });
    await gotoWorkbook(page, { [TP]: { r: w['todays-priority'].r, a: { headline: 'x' }, p: { done: 1, of: 6, result: 'nope' } } });
    assert.deepEqual((await state(page))['todays-priority'].result, null);
    // Garbage in storage reads as not started.
    await gotoWorkbook(page, { [TP]: '{not json', [NH]: { a: ['x'] } });
    got = await state(page);
    assert.equal(got['todays-priority'].progress, 'Not started.');
    assert.equal(got['network-health'].progress, 'Not started.');
    // Another tab saving shows here too.
    await page.evaluate((k) => localStorage.removeItem(k), TP);
  });
});

test('export: a link with every answer, private ones included, and the same as a file', opts, async () => {
  await withPage(async (page) => {
    const s = seed();
    await gotoWorkbook(page, s);
    await page.click('button[data-action=link]');
    await waitMessage(page);
    assert.match((await ui(page)).message, /^Link copied/);
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(link.startsWith(url(WB) + '#wb1.'), link);
    const { codec, payload } = decode(link);
    assert.equal(payload.wb, 1);
    assert.deepEqual(Object.keys(payload.s).sort(), ['network-health:v1', 'todays-priority:v2']);
    assert.deepEqual(payload.s['todays-priority:v2'], s[TP], 'the whole record, private answer included');
    assert.deepEqual(payload.s['network-health:v1'], s[NH]);
    const json = Buffer.from(JSON.stringify(payload));
    assert.equal(codec, zlib.deflateRawSync(json).length <= json.length * 0.8 ? 'z' : 'j');
    assert.equal(new URL(page.url()).hash, '', 'the address bar is unchanged');
    const note = await page.textContent('.wb-note');
    assert.match(note, /private answers/);
    assert.match(note, /don't post this link/);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-action=file]')]);
    assert.equal(download.suggestedFilename(), 'workbook-answers.json');
    const file = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.deepEqual(file, payload, 'the file holds what the link holds');
  });
});

test('export with nothing saved says so; a link over 8 KB offers the file instead', opts, async () => {
  await withPage(async (page) => {
    await gotoWorkbook(page);
    await page.click('button[data-action=link]');
    await waitMessage(page);
    assert.match((await ui(page)).message, /no saved answers/);
    const w = sheets();
    // 9 KB of random text: compressed or not, its link is over 8,192 characters.
    const noise = crypto.randomBytes(7000).toString('base64');
    await gotoWorkbook(page, { [TP]: { r: w['todays-priority'].r, a: { headline: noise } } });
    await page.click('button[data-action=link]');
    await page.waitForFunction(() => /too many/.test(document.querySelector('.wb-message').textContent));
    assert.match((await ui(page)).message, /Download them as a file instead/);
  });
});

/** Import `how` (a link or a file) into a fresh profile, then check the worksheet page. */
async function thirdDevice(how) {
  const s = seed();
  let link;
  let file;
  await withPage(async (page) => {
    await gotoWorkbook(page, s);
    await page.click('button[data-action=link]');
    await waitMessage(page);
    link = await page.evaluate(() => navigator.clipboard.readText());
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-action=file]')]);
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sheaf-wb-')), 'answers.json');
    await download.saveAs(file);
  });
  const fresh = await launch();
  try {
    const page = await openPage(fresh.context);
    if (how === 'link') {
      await page.goto(link);
      await page.waitForSelector('.wb-transfer:not([hidden])', { state: 'attached' });
    } else {
      await gotoWorkbook(page);
      await page.setInputFiles('#wb-file', file);
    }
    await waitImport(page);
    let got = await ui(page);
    assert.deepEqual(got.importing.sort(), ["How healthy is your network?: 2 answers", "What’s my priority today?: 5 answers"]);
    assert.equal(got.confirm, null);
    assert.deepEqual(await storage(page), {}, 'nothing written before Import');
    await page.click('button[data-action=import]');
    await waitMessage(page);
    got = await ui(page);
    assert.match(got.message, /^Imported your answers to /);
    assert.equal(got.importing, null);
    assert.equal(got.hash, '', 'the fragment is dropped');
    const stored = await storage(page);
    assert.deepEqual(stored[TP], s[TP]);
    assert.deepEqual(stored[NH], s[NH]);
    assert.equal((await state(page))['todays-priority'].progress, '4 of 6 answered.');
    await gotoWorksheet(page, url('worksheets/todays-priority/'));
    const answers = await readAnswers(page);
    assert.equal(answers['last-message'], 'older');
    assert.equal(answers['reach-time'], '2');
    assert.deepEqual(answers.channels, ['events']);
    assert.equal(answers.headline, 'Hi');
    assert.equal(answers['two-people'], 'Ann and Bo, privately', 'the private answer came along');
    assert.deepEqual(await page.trouble(), []);
  } finally {
    await fresh.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

test('import from the link on a third device; the worksheet shows the answers', opts, () => thirdDevice('link'));
test('import from the file on a third device; the worksheet shows the answers', opts, () => thirdDevice('file'));

test('answers already there are replaced only after an in-page confirmation', opts, async () => {
  await withPage(async (page) => {
    const w = sheets();
    const s = seed();
    const link = url(WB) + encode({ wb: 1, s: { 'todays-priority:v2': s[TP], 'network-health:v1': s[NH] } }, 'z');
    const mine = { r: w['todays-priority'].r, a: { headline: 'Mine' } };
    // Keep mine: only the worksheet without answers is imported.
    await gotoWorkbook(page, { [TP]: mine });
    await page.goto(link);
    await waitImport(page);
    let got = await ui(page);
    assert.ok(got.importing.some((t) => /What’s my priority today\?: 5 answers, replacing the answers you have there/.test(t)), got.importing);
    await page.click('button[data-action=import]');
    got = await ui(page);
    assert.equal(got.confirm, "You already have answers in “What’s my priority today?”. Replace them with the imported ones?");
    assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'keep', 'the safe choice is focused');
    assert.deepEqual(await storage(page), { [TP]: mine }, 'nothing written yet');
    await page.click('button[data-action=keep]');
    await waitMessage(page);
    let stored = await storage(page);
    assert.deepEqual(stored[TP], mine, 'kept');
    assert.deepEqual(stored[NH], s[NH], 'the other imported');
    assert.equal((await ui(page)).hash, '');
    // Replace them.
    await page.evaluate((k) => localStorage.removeItem(k), NH);
    await page.goto(link);
    await waitImport(page);
    await page.click('button[data-action=import]');
    await page.click('button[data-action=replace]');
    await waitMessage(page);
    stored = await storage(page);
    assert.deepEqual(stored[TP], s[TP]);
    assert.deepEqual(stored[NH], s[NH]);
    // Cancel writes nothing and drops the link.
    await page.evaluate(() => localStorage.clear());
    await page.goto(link);
    await waitImport(page);
    await page.click('button[data-action=cancel]');
    await waitMessage(page);
    assert.deepEqual(await storage(page), {});
    assert.equal((await ui(page)).hash, '');
  });
});

test('a worksheet changed since the export: imported anyway, said so; unknown ones left out', opts, async () => {
  await withPage(async (page) => {
    const payload = {
      wb: 1,
      s: {
        'todays-priority:v2': { r: '0ld0ld00', a: { headline: 'Old' }, p: { done: 1, of: 9, result: 'dm' } },
        'todays-priority:v1': { r: 'x', a: { headline: 'older version' } },
        'elsewhere:v1': { r: 'x', a: { q: 'y' } },
      },
    };
    await gotoWorkbook(page, {}, encode(payload));
    await waitImport(page);
    const got = await ui(page);
    assert.deepEqual(got.importing, ["What’s my priority today?: 1 answer"]);
    assert.match(got.note, /this site does not have, left out: 2\./);
    assert.match(got.note, /changed since the export: 1\./);
    await page.click('button[data-action=import]');
    await waitMessage(page);
    assert.deepEqual(await storage(page), { [TP]: { r: '0ld0ld00', a: { headline: 'Old' } } }, 'no progress kept for another structure');
    await gotoWorksheet(page, url('worksheets/todays-priority/'));
    assert.equal((await readAnswers(page)).headline, 'Old', 'worksheet.js restores by question id');
  });
});

const HOSTILE = [
  ['not base64', '#wb1.j.!!!!', /damaged/],
  ['impossible base64 length', '#wb1.j.' + 'A'.repeat(5), /damaged/],
  ['an unknown codec', '#wb1.x.' + b64url(Buffer.from('{}')), /damaged/],
  ['truncated deflate', encode({ wb: 1, s: {} }, 'z').slice(0, -3), /damaged/],
  ['not JSON', '#wb1.j.' + b64url(Buffer.from('{"wb":1,')), /damaged/],
  ['invalid UTF-8', '#wb1.j.' + b64url(Buffer.from([0x7b, 0xff, 0x7d])), /damaged/],
  ['a share link payload', encode({ w: 'todays-priority', v: 2, a: {} }), /damaged/],
  ['another export version', encode({ wb: 2, s: {} }), /damaged/],
  ['an array', encode([1, 2]), /damaged/],
  ['only unknown worksheets', encode({ wb: 1, s: { 'nope:v1': { a: { x: 'y' } }, 'todays-priority:v9': { a: { headline: 'x' } } } }), /None of these answers/],
  ['records of the wrong shape', encode({ wb: 1, s: { 'todays-priority:v2': { a: [1] }, 'network-health:v1': 'x' } }), /None of these answers/],
  ['a deflate bomb', '#wb1.z.' + b64url(zlib.deflateRawSync(Buffer.alloc(20 * 1024 * 1024, 32), { level: 9 })), /too long/],
  ['a 100 KB fragment', '#wb1.j.' + 'A'.repeat(100_000), /too long/],
];

for (const [what, hash, expect] of HOSTILE) {
  test(`hostile link refused: ${what}`, opts, async () => {
    await withPage(async (page) => {
      await gotoWorkbook(page, {}, hash);
      await waitImport(page);
      const got = await ui(page);
      assert.equal(got.importing, null, 'nothing offered');
      assert.match(got.message, expect);
      assert.equal(got.hash, '', 'the fragment is dropped');
      assert.deepEqual(await storage(page), {});
    });
  });
}

test('hostile content: proto keys, markup, wrong types and oversized values are dropped or shown as text', opts, async () => {
  await withPage(async (page) => {
    const json =
      '{"wb":1,"s":{"__proto__":{"polluted":1},"constructor":{"a":{"x":"y"}},"todays-priority:v2":{"r":"<img src=x onerror=alert(1)>","a":{"__proto__":{"polluted":1},"headline":"<b>bold</b><script>alert(1)</script>","notes":{"deep":1},"channels":["a",{"x":1}],"contacts":1e999,"reach-time":3,"long":"' +
      'x'.repeat(20_001) +
      '","ids":[' +
      Array(101).fill('"a"').join(',') +
      ']},"p":{"done":-1,"of":6,"result":"dm"}}}}';
    await gotoWorkbook(page, {}, encode(json, 'z'));
    await waitImport(page);
    assert.deepEqual((await ui(page)).importing, ["What’s my priority today?: 2 answers"]);
    await page.click('button[data-action=import]');
    await waitMessage(page);
    const stored = (await storage(page))[TP];
    assert.deepEqual(stored.a, { headline: '<b>bold</b><script>alert(1)</script>', 'reach-time': 3 });
    assert.equal(stored.p, undefined, 'no progress for another structure');
    assert.equal(stored.r, '<img src=x onerror=alert(1)>');
    assert.equal(await page.evaluate(() => ({}).polluted), undefined, 'Object.prototype untouched');
    assert.equal(await page.locator('img, b, .wb-list script').count(), 0, 'no markup from the link in the page');
    await gotoWorksheet(page, url('worksheets/todays-priority/'));
    assert.equal((await readAnswers(page)).headline, '<b>bold</b><script>alert(1)</script>'.slice(0, 80));
  });
});

test('hostile files refused: too large, not JSON, not an export', opts, async () => {
  await withPage(async (page) => {
    await gotoWorkbook(page);
    for (const [name, body, expect] of [
      ['big.json', Buffer.alloc(300 * 1024, 32), /too large/],
      ['x.json', Buffer.from('<html>'), /not a workbook export/],
      ['y.json', Buffer.from('{"wb":1,"s":[]}'), /not a workbook export/],
      ['z.json', Buffer.from(JSON.stringify({ wb: 1, s: { 'x:v1': { a: { q: 'y' } } } })), /None of these answers/],
    ]) {
      await page.setInputFiles('#wb-file', { name, mimeType: 'application/json', buffer: body });
      await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('.wb-message').textContent), expect.source);
      assert.equal((await ui(page)).importing, null, name);
    }
    assert.deepEqual(await storage(page), {});
  });
});

async function axe(page, label) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ url: site.server.url('/vendor/axe.min.js') });
  const { violations } = await page.evaluate(async () =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    }),
  );
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `${label}: serious/critical axe violations`,
  );
}

for (const scheme of ['light', 'dark']) {
  test(`axe (${scheme}): progress, the import offer, the confirmation and a message`, opts, async () => {
    await withPage(async (page) => {
      await page.emulateMedia({ colorScheme: scheme });
      const s = seed();
      await gotoWorkbook(page, { [TP]: s[TP] });
      await axe(page, 'progress');
      await page.goto(url(WB) + encode({ wb: 1, s: { 'todays-priority:v2': s[TP], 'network-health:v1': s[NH], 'x:v1': { a: { q: 'y' } } } }));
      await waitImport(page);
      await axe(page, 'import offer');
      await page.click('button[data-action=import]');
      await axe(page, 'confirmation');
      await page.click('button[data-action=replace]');
      await waitMessage(page);
      await axe(page, 'message');
    });
  });
}
