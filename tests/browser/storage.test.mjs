// Saved answers (issue #13, item 13): scoped to the site, and moved from the old unscoped key
// once.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  FIXTURES,
  STATIC,
  defaultMounts,
  fill,
  gotoWorksheet,
  readAnswers,
  session,
  storageOf,
} from './lib/harness.mjs';

// Two "project sites" on the test server's one origin, as on user.github.io: /a/ and /b/, each
// with the fixture worksheet and its own copy of the theme's files (the real script).
const SITES = fs.mkdtempSync(path.join(os.tmpdir(), 'sheaf-sites-'));
const mounts = defaultMounts();
for (const site of ['a', 'b']) {
  fs.mkdirSync(path.join(SITES, site));
  const html = fs.readFileSync(path.join(FIXTURES, 'top.html'), 'utf8').replaceAll('"/theme/', `"/${site}/theme/`);
  fs.writeFileSync(path.join(SITES, site, 'top.html'), html);
  mounts[`/${site}/`] = path.join(SITES, site);
  mounts[`/${site}/theme/`] = STATIC;
}
after(() => fs.rmSync(SITES, { recursive: true, force: true }));

const s = session({ mounts });
const ID = 'todays-priority';
const HASH = 'h7f3a91c2';
const KEY = `sheaf:ws:/theme/:${ID}:v2`; // the fixture's script is at /theme/worksheet.js
const OLD_KEY = `sheaf:ws:${ID}:v2`; // before answers were scoped to the site

/** The answers the reader sees on a plain load of the worksheet (no link). */
async function ownAnswers(page, url = s.url('/top.html')) {
  await gotoWorksheet(page, url);
  return readAnswers(page);
}

test('#13: two sites on one origin (user.github.io/a/ and /b/) keep their answers apart', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/a/top.html'));
    await fill(page, { headline: 'Site A', 'two-people': 'private to A' });
    await gotoWorksheet(page, s.url('/b/top.html'));
    let b = await readAnswers(page);
    assert.equal(b.headline, '', 'site B does not show site A’s answers');
    assert.equal(b['two-people'], '');
    await fill(page, { headline: 'Site B' });
    const a = await ownAnswers(page, s.url('/a/top.html'));
    assert.equal(a.headline, 'Site A', 'site B does not save over site A');
    assert.equal(a['two-people'], 'private to A');
    b = await ownAnswers(page, s.url('/b/top.html'));
    assert.equal(b.headline, 'Site B');
    const keys = await page.evaluate(() => Object.keys(localStorage).sort());
    assert.deepEqual(keys, [`sheaf:ws:/a/theme/:${ID}:v2`, `sheaf:ws:/b/theme/:${ID}:v2`]);
  });
});

test('#13: answers saved under the old unscoped key move to the site’s key once, only when made for this structure', async () => {
  const saved = { headline: 'Saved before the upgrade', 'two-people': 'private' };
  await s.withPage(async (page) => {
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [OLD_KEY, JSON.stringify({ r: HASH, a: saved })]);
    const a = await ownAnswers(page);
    assert.equal(a.headline, saved.headline, 'a reader who upgrades keeps their answers');
    assert.equal(a['two-people'], saved['two-people']);
    assert.deepEqual(JSON.parse(await storageOf(page, KEY)), { r: HASH, a: saved });
    assert.equal(await storageOf(page, OLD_KEY), null, 'moved, not copied');
    await page.click('button[data-action=reset]');
    assert.equal((await ownAnswers(page)).headline, '', 'Reset stays reset: nothing is moved again');
  });
  // Another structure under the same id (say another site's worksheet on the same origin): left alone.
  await s.withPage(async (page) => {
    const other = JSON.stringify({ r: 'hffffffff', a: { headline: 'Another site’s answer' } });
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [OLD_KEY, other]);
    assert.equal((await ownAnswers(page)).headline, '');
    assert.equal(await storageOf(page, OLD_KEY), other);
    assert.equal(await storageOf(page, KEY), null);
    // The site's own key wins over the old one.
    await fill(page, { headline: 'Mine' });
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [OLD_KEY, JSON.stringify({ r: HASH, a: { headline: 'Old' } })]);
    assert.equal((await ownAnswers(page)).headline, 'Mine');
  });
});
