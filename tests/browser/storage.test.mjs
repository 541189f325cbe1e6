// Saved answers (issue #13, items 12 and 13, and the same class of defect): scoped to the site,
// moved from the old unscoped key once, and never lost to a share link: not to a refused link,
// nor to Clear, Reset or Make it mine while viewing one, nor to typing while a link loads, nor
// to another tab of the same worksheet.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  FIXTURES,
  STATIC,
  defaultMounts,
  encodeFragment,
  fill,
  gotoWorksheet,
  readAnswers,
  readUi,
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
const OWN = { 'last-message': 'week', headline: 'My own headline', 'two-people': 'my private answer' };
const link = (a, extra = {}, codec = 'j') => encodeFragment({ w: ID, v: 2, r: HASH, a, ...extra }, codec);

/** The answers the reader sees on a plain load of the worksheet (no link). */
async function ownAnswers(page, url = s.url('/top.html')) {
  await gotoWorksheet(page, url);
  return readAnswers(page);
}

/** Open a link and wait only for the script to start, not for the link to be shown. */
async function gotoLoading(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('.ws-actions:not([hidden])', { state: 'attached' });
}

test('#13.12: a refused link shows the reader’s own answers, so typing next keeps them', async () => {
  const refused = [
    [link({ headline: 'x' }, { w: 'network-health' }), 'This share link is for a different worksheet.'],
    [link({ headline: 'x' }, { v: 3 }), 'This share link was made for a newer version of this worksheet.'],
    [link({ headline: 'x'.repeat(500) }), 'None of the answers in this share link fit this worksheet.'],
    ['#ws1.z.AAAA', 'This share link is damaged and could not be read.'],
  ];
  for (const [frag, why] of refused) {
    await s.withPage(async (page) => {
      await gotoWorksheet(page, s.url('/top.html'));
      await fill(page, OWN);
      const own = await readAnswers(page);
      await gotoWorksheet(page, s.url('/top.html') + frag);
      const ui = await readUi(page);
      assert.equal(ui.message, why + ' Nothing was restored from it; your own answers are shown.');
      assert.equal(ui.hash, '');
      assert.deepEqual(await readAnswers(page), own, 'the reader’s own answers, not a blank form');
      await page.fill('#ws-notes', 'typed after the refusal');
      const a = await ownAnswers(page);
      assert.equal(a.headline, OWN.headline, `${why}: saved answers survive the next keystroke`);
      assert.equal(a['two-people'], OWN['two-people']);
      assert.equal(a['last-message'], OWN['last-message']);
      assert.equal(a.notes, 'typed after the refusal');
    });
  }
});

test('#13.12: Clear after viewing a link brings back the reader’s own answers; typing next keeps them', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, OWN);
    const own = await readAnswers(page);
    await gotoWorksheet(page, s.url('/top.html') + link({ headline: 'Theirs', quiz: 'tagged' }));
    assert.equal((await readUi(page)).banner, 'Viewing shared answers.');
    await page.click('button[data-action=clear]');
    const ui = await readUi(page);
    assert.equal(ui.message, 'Shared answers cleared. Your own answers are shown again.');
    assert.equal(ui.banner, null);
    assert.equal(ui.hash, '');
    assert.deepEqual(await readAnswers(page), own);
    await page.check('#ws-quiz-note');
    const a = await ownAnswers(page);
    assert.equal(a.headline, OWN.headline);
    assert.equal(a['two-people'], OWN['two-people']);
    assert.equal(a.quiz, 'note');
  });
});

test('Reset while viewing a link clears the link’s answers only; a second Reset clears the reader’s own', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, OWN);
    const own = await readAnswers(page);
    await gotoWorksheet(page, s.url('/top.html') + link({ headline: 'Theirs' }));
    await page.click('button[data-action=reset]');
    let ui = await readUi(page);
    assert.equal(ui.message, 'Shared answers cleared. Your own answers are shown again.');
    assert.equal(ui.banner, null);
    assert.equal(ui.hash, '');
    assert.deepEqual(await readAnswers(page), own, 'saved answers the reader could not see are not erased');
    assert.equal(JSON.parse(await storageOf(page, KEY)).a.headline, OWN.headline);
    await page.click('button[data-action=reset]');
    await page.click('button[data-action=reset-yes]');
    ui = await readUi(page);
    assert.equal(ui.message, 'Your answers have been cleared.');
    assert.equal(await storageOf(page, KEY), null);
  });
});

test('typing while a link is still loading saves nothing over the reader’s answers', async () => {
  await s.withPage(
    async (page) => {
      await gotoWorksheet(page, s.url('/top.html'));
      await fill(page, OWN);
      const saved = await storageOf(page, KEY);
      await page.goto(s.url('/blank.html')); // a new document, not a hashchange
      await gotoLoading(page, s.url('/top.html') + link({ headline: 'Theirs', notes: 'n'.repeat(200) }, {}, 'z'));
      assert.equal(await page.isHidden('.ws-banner'), true, 'still loading');
      await page.fill('#ws-contacts', '7');
      await page.waitForSelector('.ws-banner:not([hidden])');
      assert.equal(await storageOf(page, KEY), saved, 'the blank form shown while loading was not saved');
      assert.equal((await ownAnswers(page)).headline, OWN.headline);
    },
    { slowInflate: 800 },
  );
});

test('Make it mine keeps the reader’s share:false answers, which no link can carry', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, OWN);
    await gotoWorksheet(page, s.url('/top.html') + link({ headline: 'Theirs', quiz: 'tagged' }));
    assert.equal((await readAnswers(page))['two-people'], '', 'not shown beside someone else’s answers');
    await page.click('button[data-action=make-mine]');
    const a = await readAnswers(page);
    assert.equal(a.headline, 'Theirs');
    assert.equal(a['two-people'], OWN['two-people']);
    assert.deepEqual(JSON.parse(await storageOf(page, KEY)).a, { headline: 'Theirs', 'two-people': OWN['two-people'], quiz: 'tagged' });
  });
});

test('a second tab of the same worksheet follows the first, so it never saves over it', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, { headline: 'From tab one' });
    const other = await page.context().newPage();
    try {
      await gotoWorksheet(other, s.url('/top.html'));
      await fill(other, { contacts: 12 });
      await page.waitForFunction(() => document.getElementById('ws-contacts').value === '12', null, { timeout: 5000 });
      await fill(page, { quiz: 'note' });
      assert.deepEqual(JSON.parse(await storageOf(page, KEY)).a, { contacts: 12, headline: 'From tab one', quiz: 'note' });
    } finally {
      await other.close();
    }
  });
});

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
    await page.click('button[data-action=reset-yes]');
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
