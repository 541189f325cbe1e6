// The reader's flow of issue #16, end to end in real profiles:
//  - a friend fills in a worksheet and copies a link; a reader with answers of their own opens
//    it in another profile, compares (both columns in words, both results, share:false only on
//    the reader's side), cannot edit the shared answers by accident, and makes them theirs;
//  - the saved record's summary `p` ({done, of, result}) after partial and complete answers,
//    and older records without it;
//  - a built result page (tests/browser/site, $SHEAF_BIN) as a landing page: the worksheet's
//    first question in the worksheet's own markup, whose answer Continue saves in the reader's
//    record before opening the worksheet with it filled in; other results as cards; axe clean.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import {
  TESTS,
  buildForTests,
  clearStorage,
  decodeLink,
  encodeFragment,
  fill,
  gotoWorksheet,
  launch,
  openPage,
  readAnswers,
  readUi,
  serveBuilt,
  session,
  storageOf,
} from './lib/harness.mjs';

const s = session({ permissions: ['clipboard-read', 'clipboard-write'] });
const KEY = 'sheaf:ws:/theme/:todays-priority:v2';
const HASH = 'h7f3a91c2';

// The friend: "Make one introduction" (net 2 + 3 + 0.5 x 12 + 3 for ranking it first = 14).
const FRIEND = {
  'last-message': 'older',
  'reach-time': 1,
  channels: ['events', 'intros'],
  contacts: 12,
  headline: 'Connector',
  priorities: ['net', 'dm', 'algo'],
  quiz: 'note',
};
// The reader: "Send three real messages" (dm 3 + 1 + 2 = 6 against algo 4, net 0).
const OWN = {
  'last-message': 'older',
  'reach-time': 4,
  channels: ['email', 'dms'],
  contacts: 0,
  headline: 'Writer',
  'two-people': 'Ana and Bo, to thank them',
};

/** The compare panel as the reader sees it: [question, yours, theirs, same]. */
const readCompare = (page) =>
  page.evaluate(() => {
    const panel = document.querySelector('.ws-compare');
    if (!panel || panel.hidden) return null;
    return [...panel.querySelectorAll('.ws-cmp > li')].map((li) => [
      li.querySelector('.ws-cmp-q').textContent,
      ...[...li.querySelectorAll('dd')].map((dd) => dd.textContent),
      li.dataset.same === 'true',
    ]);
  });

const record = async (page) => JSON.parse(await storageOf(page, KEY));

async function copyLink(page) {
  await page.evaluate(() => navigator.clipboard.writeText('sentinel'));
  await page.click('button[data-action=copy-link]');
  await page.waitForFunction(() => !document.querySelector('.ws-message').hidden);
  return page.evaluate(() => navigator.clipboard.readText());
}

test('compare with a friend: share, open beside own answers, compare, read-only, make it mine', async () => {
  // The friend, in the session's profile.
  let link;
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, FRIEND);
    assert.deepEqual((await readUi(page)).result, ['net']);
    link = await copyLink(page);
    assert.equal(decodeLink(link).payload.w, 'todays-priority');
  });

  // The reader, in a profile of their own, with answers saved before the link arrives.
  const reader = await launch();
  try {
    const page = await openPage(reader.context);
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, OWN);
    assert.deepEqual((await readUi(page)).result, ['dm']);
    const ownRecord = await record(page);
    assert.deepEqual(ownRecord.p, { done: 6, of: 10, result: 'dm' });

    await gotoWorksheet(page, link);
    const ui = await readUi(page);
    assert.equal(ui.banner, 'Viewing shared answers.');
    assert.equal(await page.textContent('.ws-banner-result'), 'Their result: Make one introduction', 'the shared result up front');
    assert.ok(await page.isVisible('button[data-action=compare]'), 'Compare with mine is offered');
    assert.equal(await readCompare(page), null, 'closed until asked for');

    await page.click('button[data-action=compare]');
    assert.equal(await page.getAttribute('button[data-action=compare]', 'aria-expanded'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Yours and theirs, side by side', 'focus on the panel heading');
    assert.deepEqual(await readCompare(page), [
      ['Result', 'Send three real messages', 'Make one introduction', false],
      ['When did you last send a personal message?', "Can't recall", "Can't recall", true],
      ['How much of your time goes to posting for reach?', '4', '1 (almost none)', false],
      ['Where do your best conversations start?', 'Email, Direct messages', 'Events, Introductions', false],
      ['Which of these did you do this week?', 'No answer', 'No answer', false],
      ['How many people did you talk to one-on-one last month?', '0', '12', false],
      ['Your headline, in a few words', 'Writer', 'Connector', false],
      ['Anything else you want to remember?', 'No answer', 'No answer', false],
      ['Name two people you will message, and why.', 'Ana and Bo, to thank them', 'Private: not shared', false],
      ['Put these in the order you want to spend time on them', 'No answer', '1. Introductions, 2. Messages, 3. Posting', false],
      ['Which of these is a personal message?', 'No answer', 'A note to one person about their work', false],
    ]);
    assert.equal(await storageOf(page, KEY), JSON.stringify(ownRecord), 'comparing saves nothing');

    // Read-only while viewing: a click, a key, a rank move change nothing and say why.
    await page.click('#ws-last-message-today');
    assert.equal((await readAnswers(page))['last-message'], 'older', 'the radio goes back');
    await page.focus('#ws-last-message-older');
    await page.keyboard.press('ArrowUp');
    assert.equal((await readAnswers(page))['last-message'], 'older', 'arrow keys change nothing either');
    assert.match(await page.textContent('#q-last-message .ws-locked'), /^These are shared answers, so they stay as they are\.Make it mine to change them$/);
    await page.focus('#ws-headline');
    await page.keyboard.type('x');
    assert.equal((await readAnswers(page)).headline, 'Connector', 'typing changes nothing');
    assert.ok(await page.isVisible('#q-headline .ws-locked'), 'the note follows the question');
    await page.click('li[data-option=algo] button[data-move=up]');
    assert.deepEqual((await readAnswers(page)).priorities, ['net', 'dm', 'algo'], 'rank unchanged');
    assert.equal(await storageOf(page, KEY), JSON.stringify(ownRecord), 'attempts save nothing');

    // Close, then open again and make it mine from the banner.
    await page.click('button[data-action=compare-close]');
    assert.equal(await readCompare(page), null);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'compare', 'focus back on the button');
    await page.click('button[data-action=compare]');
    await page.click('.ws-banner button[data-action=make-mine]');
    const after = await readUi(page);
    assert.equal(after.banner, null);
    assert.equal(after.hash, '');
    assert.equal(after.message, 'These answers are now yours, saved in this browser.');
    assert.deepEqual(after.result, ['net']);
    assert.equal(await readCompare(page), null, 'the comparison closes with the shared view');
    assert.equal(await page.locator('.ws-locked').count(), 0, 'no read-only note left');
    const a = await readAnswers(page);
    assert.equal(a.headline, 'Connector', 'own answers replaced by the shared ones');
    assert.equal(a['two-people'], OWN['two-people'], 'share:false answers kept');
    const mine = await record(page);
    assert.equal(mine.r, HASH);
    assert.deepEqual(mine.a, { ...FRIEND, 'two-people': OWN['two-people'] });
    assert.deepEqual(mine.p, { done: 8, of: 10, result: 'net' });
    await page.fill('#ws-headline', 'Editable again');
    assert.equal((await record(page)).a.headline, 'Editable again');
    assert.deepEqual(await page.trouble(), []);
  } finally {
    await reader.close();
  }
});

test('no Compare with mine without own answers; Clear closes the comparison and shows own answers', async () => {
  const frag = encodeFragment({ w: 'todays-priority', v: 2, r: HASH, a: { headline: 'Theirs', 'last-message': 'week' } });
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html') + frag);
    assert.equal((await readUi(page)).banner, 'Viewing shared answers.');
    assert.equal(await page.isHidden('button[data-action=compare]'), true);
    assert.equal(await page.isHidden('.ws-banner-result'), true, 'no verdict in the link: no result line');

    await page.goto(s.url('/blank.html'));
    await page.evaluate(([k, h]) => localStorage.setItem(k, JSON.stringify({ r: h, a: { headline: 'Mine' } })), [KEY, HASH]);
    await gotoWorksheet(page, s.url('/top.html') + frag);
    await page.click('button[data-action=compare]');
    const rows = await readCompare(page);
    assert.deepEqual(rows[0], ['Result', 'No result yet', 'No result yet', false]);
    assert.deepEqual(rows.find((r) => r[0].startsWith('Your headline')), ['Your headline, in a few words', 'Mine', 'Theirs', false]);
    await page.click('button[data-action=clear]');
    assert.equal(await readCompare(page), null);
    assert.equal((await readAnswers(page)).headline, 'Mine');
    await page.fill('#ws-headline', 'Mine, edited');
    assert.equal((await record(page)).a.headline, 'Mine, edited', 'editable after Clear');
  });
});

test('the record carries a summary p: done, of and the result key (null until there is one)', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, { 'last-message': 'week' });
    assert.deepEqual(await record(page), { r: HASH, a: { 'last-message': 'week' }, p: { done: 1, of: 10, result: null } });
    await fill(page, { 'reach-time': 5, channels: ['events'] });
    assert.deepEqual((await record(page)).p, { done: 3, of: 10, result: null }, 'contacts still missing: no verdict');
    await fill(page, { contacts: 2 });
    assert.deepEqual((await record(page)).p, { done: 4, of: 10, result: 'algo' }, 'algo 5 against net 3 and dm 1');
    await fill(page, { 'two-people': 'private too' });
    assert.deepEqual((await record(page)).p, { done: 5, of: 10, result: 'algo' }, 'share:false answers count locally');
    await page.click('button[data-action=reset]');
    await page.click('button[data-action=reset-yes]');
    assert.equal(await storageOf(page, KEY), null);

    // A bands worksheet: the band key.
    await gotoWorksheet(page, s.url('/bands.html'));
    await fill(page, { talks: 'many', confidence: 5 });
    const bands = JSON.parse(await storageOf(page, 'sheaf:ws:/theme/:network-health:v1'));
    assert.deepEqual(bands.p, { done: 2, of: 4, result: 'growing' });
  });
});

test('a record without p (an older save, or one imported whole) is read as before and gains p on the next save', async () => {
  await s.withPage(async (page) => {
    await page.evaluate(([k, h]) => localStorage.setItem(k, JSON.stringify({ r: h, a: { headline: 'Old save', contacts: 3 } })), [KEY, HASH]);
    await gotoWorksheet(page, s.url('/top.html'));
    let a = await readAnswers(page);
    assert.equal(a.headline, 'Old save');
    assert.equal(a.contacts, '3');
    await fill(page, { quiz: 'note' });
    assert.deepEqual((await record(page)).p, { done: 3, of: 10, result: null });

    // Imported from another copy of the site whose structure differs: restored by id.
    await page.evaluate(
      ([k]) => localStorage.setItem(k, JSON.stringify({ r: 'hother', a: { headline: 'Imported', gone: 1 }, p: { done: 9, of: 9, result: 'x' } })),
      [KEY],
    );
    await gotoWorksheet(page, s.url('/top.html'));
    a = await readAnswers(page);
    assert.equal(a.headline, 'Imported');
    assert.equal(a.quiz, null);
  });
});

async function axeClean(page, label) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ url: '/vendor/axe.min.js' });
  const bad = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`);
  });
  assert.deepEqual(bad, [], label);
}

for (const scheme of ['light', 'dark']) {
  test(`axe (${scheme}): the compare panel open and the read-only note showing, at 390 and 1280 px`, async () => {
    await s.withPage(async (page) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate(([k, h]) => localStorage.setItem(k, JSON.stringify({ r: h, a: { headline: 'Mine', 'last-message': 'week' } })), [KEY, HASH]);
      await gotoWorksheet(page, s.url('/top.html') + encodeFragment({ w: 'todays-priority', v: 2, r: HASH, a: FRIEND }));
      await page.click('button[data-action=compare]');
      await page.click('#ws-last-message-today');
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await axeClean(page, `${scheme}, ${width} px`);
      }
    });
  });
}

// ---------------------------------------------------------------- the built result page

const SITE = path.join(TESTS, 'site');
const BASE = '/guide/';
const built = buildForTests(SITE, BASE, 'sheaf-flow-');
const skip = built.skip || (built.buildError ? built.buildError : false);
const site = serveBuilt({
  out: built.out,
  skip,
  mounts: () => ({
    [BASE]: { dir: path.join(built.out, 'site'), headers: { 'content-security-policy': "default-src 'self'" } },
    '/vendor/axe.min.js': path.join(TESTS, 'node_modules/axe-core/axe.min.js'),
  }),
});
const url = (p) => site.server.url(BASE + p);
const WS = 'worksheets/todays-priority/';
const BUILT_KEY = 'sheaf:ws:/guide/:todays-priority:v2';

async function builtPage(fn) {
  const page = await openPage(site.browser.context);
  try {
    await clearStorage(page, url(''));
    await fn(page);
    assert.deepEqual(await page.trouble(), [], 'no console errors, page errors, CSP violations or dialogs');
  } finally {
    await page.close();
  }
}

test('result page: the first question in the worksheet’s markup; Continue saves it and the worksheet shows it', { skip }, async () => {
  await builtPage(async (page) => {
    await gotoWorksheet(page, url(WS));
    const def = await page.evaluate(() => JSON.parse(document.getElementById('ws-definition').textContent));
    const first = def.questions[0].id;
    const markup = await page.evaluate((id) => document.getElementById('q-' + id).outerHTML, first);
    await fill(page, { 'reach-time': 3, headline: 'Before the teaser' });

    await page.goto(url(WS + 'result/net/'), { waitUntil: 'load' });
    assert.equal(await page.textContent('h1'), 'Make one introduction');
    const teaser = await page.evaluate((id) => document.getElementById('q-' + id).outerHTML, first);
    assert.equal(teaser, markup, 'the same fieldset as on the worksheet page');
    const go = page.locator('.ws-teaser a[data-action=teaser-go]');
    assert.equal(await go.getAttribute('href'), BASE + WS, 'without the script, a plain link to the worksheet');
    const cards = await page.$$eval('.result-cards > li', (lis) => lis.map((li) => [li.querySelector('a').getAttribute('href'), li.querySelector('p').textContent]));
    assert.deepEqual(cards, [
      [BASE + WS + 'result/dm/', 'Pick three people whose work you value and tell them why.'],
      [BASE + WS + 'result/algo/', 'One post, then spend the rest of the time in conversations.'],
    ]);

    await page.check(`#ws-${first}-week`);
    await Promise.all([page.waitForURL(url(WS)), go.click()]);
    await gotoWorksheet(page, url(WS));
    const a = await readAnswers(page);
    assert.equal(a[first], 'week', 'the teaser’s answer is filled in');
    assert.equal(a.headline, 'Before the teaser', 'earlier answers kept');
    const rec = JSON.parse(await storageOf(page, BUILT_KEY));
    assert.equal(rec.r, def.hash);
    assert.deepEqual(rec.a, { [first]: 'week', 'reach-time': 3, headline: 'Before the teaser' });
    assert.deepEqual(rec.p, { done: 3, of: def.questions.length, result: null });
  });
});

test('result page: Continue without an answer just opens the worksheet and saves nothing', { skip }, async () => {
  await builtPage(async (page) => {
    await page.goto(url(WS + 'result/dm/'), { waitUntil: 'load' });
    await Promise.all([page.waitForURL(url(WS)), page.click('.ws-teaser a[data-action=teaser-go]')]);
    assert.equal(await storageOf(page, BUILT_KEY), null);
  });
});

for (const scheme of ['light', 'dark']) {
  test(`result page: axe clean (${scheme}), before and after answering`, { skip }, async () => {
    await builtPage(async (page) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(url(WS + 'result/algo/'), { waitUntil: 'load' });
      for (const when of ['blank', 'answered']) {
        if (when === 'answered') await page.check('.ws-teaser input[type=radio] >> nth=0');
        await axeClean(page, `${scheme}, ${when}`);
      }
    });
  });
}
