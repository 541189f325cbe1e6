// Share links: Copy link (clipboard and manual fallback), the payload, opening a link in a
// fresh profile, Make it mine, Clear, links from an older structure or another worksheet, the
// 2,000-character limit and Copy as text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import crypto from 'node:crypto';
import {
  BLANK_TOP,
  decodeLink,
  encodeFragment,
  fill,
  focused,
  gotoWorksheet,
  launch,
  openPage,
  readAnswers,
  readUi,
  session,
  storageOf,
} from './lib/harness.mjs';

const s = session({ permissions: ['clipboard-read', 'clipboard-write'] });
const KEY = 'sheaf:ws:/theme/:todays-priority:v2';
const HASH = 'h7f3a91c2';

const ANSWERS = {
  'last-message': 'older',
  'reach-time': 2,
  channels: ['events', 'intros'],
  habits: ['comment', 'thank'],
  contacts: 4,
  headline: 'Connector of people',
  notes: 'Follow up with Sam. “Quotes”, ünïcode and emoji 🎉 survive.',
  'two-people': 'SECRET-two-people-answer',
  priorities: ['algo', 'dm', 'net'],
  quiz: 'note',
};
const SHARED = Object.fromEntries(Object.entries(ANSWERS).filter(([k]) => k !== 'two-people'));
// readAnswers() shows what the page displays: strings for radios and numbers.
const shown = (a) => {
  const out = { ...BLANK_TOP };
  for (const [k, v] of Object.entries(a)) out[k] = typeof v === 'number' ? String(v) : v;
  return out;
};

async function copyLink(page) {
  await page.evaluate(() => navigator.clipboard.writeText('sentinel'));
  await page.click('button[data-action=copy-link]');
  await page.waitForFunction(() => !document.querySelector('.ws-message').hidden);
  return page.evaluate(() => navigator.clipboard.readText());
}

test('Copy link: a #ws1 link with id, version, hash and the shareable answers; never share:false ones', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, ANSWERS);
    const link = await copyLink(page);
    assert.equal((await readUi(page)).message, 'Link copied.');
    assert.match(link, new RegExp(`^${s.url('/top.html')}#ws1\\.[jz]\\.[A-Za-z0-9_-]+$`));
    const { json, payload } = decodeLink(link);
    assert.deepEqual(payload, { w: 'todays-priority', v: 2, r: HASH, a: SHARED });
    assert.ok(!json.includes('two-people') && !json.includes('SECRET'), 'share:false answer left out');
    assert.equal(typeof payload.a['reach-time'], 'number');
    assert.equal(new URL(page.url()).hash, '', 'the address bar is not changed');
    assert.equal(JSON.parse(await storageOf(page, KEY)).a['two-people'], ANSWERS['two-people']);
  });
});

test('codec: j for a short payload, z (deflate-raw) when it saves 20% or more; both open', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, { quiz: 'note' });
    const short = await copyLink(page);
    assert.equal(decodeLink(short).codec, 'j');
    await fill(page, { notes: 'again and again, '.repeat(40) });
    const long = await copyLink(page);
    const { codec, json } = decodeLink(long);
    assert.equal(codec, 'z');
    const data = new URL(long).hash.split('.')[2];
    assert.ok(data.length <= Buffer.from(json).toString('base64url').length * 0.8, 'z saves at least 20%');
    for (const [link, notes] of [
      [short, ''],
      [long, 'again and again, '.repeat(40)],
    ]) {
      await page.goto(s.url('/blank.html'));
      await gotoWorksheet(page, link);
      const a = await readAnswers(page);
      assert.equal(a.quiz, 'note');
      assert.equal(a.notes, notes);
    }
  });
});

test('a copied link opened in a fresh profile restores the answers under a banner; Make it mine saves them', async () => {
  let link;
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, ANSWERS);
    link = await copyLink(page);
  });
  const fresh = await launch();
  try {
    const page = await openPage(fresh.context);
    await gotoWorksheet(page, link);
    let ui = await readUi(page);
    assert.equal(ui.banner, 'Viewing shared answers.');
    assert.equal(ui.message, null);
    assert.deepEqual(ui.result, ['net']);
    assert.equal(ui.status, '9 of 10 answered.');
    assert.deepEqual(await readAnswers(page), shown(SHARED));
    assert.equal(await storageOf(page, KEY), null, 'viewing shared answers saves nothing');
    await page.click('#ws-quiz-tagged'); // read-only: the answer stays, nothing is saved
    assert.equal((await readAnswers(page)).quiz, 'note');
    assert.equal(await storageOf(page, KEY), null, 'not even after an attempted change');

    await page.click('button[data-action=make-mine]');
    ui = await readUi(page);
    assert.equal(ui.banner, null);
    assert.equal(ui.hash, '', 'fragment dropped');
    assert.equal(page.url(), s.url('/top.html'));
    assert.equal(ui.message, 'These answers are now yours, saved in this browser.');
    assert.equal(await focused(page), 'p.ws-message', 'focus moves to the message, not to <body>');
    assert.deepEqual(JSON.parse(await storageOf(page, KEY)).a, SHARED);
    await page.reload();
    await gotoWorksheet(page, s.url('/top.html'));
    assert.deepEqual(await readAnswers(page), shown(SHARED));
    assert.equal((await readUi(page)).banner, null);
    assert.deepEqual(await page.trouble(), []);
  } finally {
    await fresh.close();
  }
});

test('viewing a link leaves the reader’s own saved answers alone; Clear drops the fragment and shows them again', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, { 'last-message': 'today', headline: 'My own answer', 'two-people': 'mine' });
    const own = await storageOf(page, KEY);
    const frag = encodeFragment({ w: 'todays-priority', v: 2, r: HASH, a: { 'last-message': 'older', headline: 'Theirs' } });
    await gotoWorksheet(page, s.url('/top.html') + frag);
    let a = await readAnswers(page);
    assert.equal(a.headline, 'Theirs');
    assert.equal(a['two-people'], '', 'the reader’s private answer is not mixed into shared answers');
    // Shared answers are read-only until Make it mine (flow.test.mjs has the details).
    await page.focus('#ws-headline');
    await page.keyboard.type(', edited');
    assert.equal((await readAnswers(page)).headline, 'Theirs', 'not editable while viewing');
    await page.click('#ws-last-message-today');
    assert.equal((await readAnswers(page))['last-message'], 'older');
    assert.equal(await storageOf(page, KEY), own, 'own answers untouched while viewing');

    await page.click('button[data-action=clear]');
    const ui = await readUi(page);
    assert.equal(ui.banner, null);
    assert.equal(ui.hash, '');
    assert.equal(ui.message, 'Shared answers cleared. Your own answers are shown again.');
    assert.deepEqual(ui.result, [], 'the reader’s own answers decide nothing yet');
    assert.equal(ui.status, '3 of 10 answered: 3 more to see your result.');
    a = await readAnswers(page);
    assert.equal(a.headline, 'My own answer', 'the reader’s own answers, not a blank form');
    assert.equal(a['two-people'], 'mine');
    assert.equal(await storageOf(page, KEY), own, 'Clear does not delete the reader’s own answers');
    await page.reload();
    await gotoWorksheet(page, s.url('/top.html'));
    a = await readAnswers(page);
    assert.equal(a.headline, 'My own answer', 'own answers come back on reload');
    assert.equal(a['two-people'], 'mine');
  });
});

test('Make it mine replaces the reader’s saved answers with the shared ones', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, { headline: 'Mine', contacts: 9 });
    const frag = encodeFragment({ w: 'todays-priority', v: 2, r: HASH, a: { headline: 'Theirs', quiz: 'tagged' } }, 'z');
    await gotoWorksheet(page, s.url('/top.html') + frag);
    await page.click('button[data-action=make-mine]');
    assert.deepEqual(JSON.parse(await storageOf(page, KEY)).a, { headline: 'Theirs', quiz: 'tagged' });
  });
});

test('Reset while viewing a link, with no answers of one’s own: blank page, no banner, no fragment, nothing stored', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html') + encodeFragment({ w: 'todays-priority', v: 2, r: HASH, a: { headline: 'Theirs' } }));
    await page.click('button[data-action=reset]');
    const ui = await readUi(page);
    assert.equal(ui.banner, null);
    assert.equal(ui.hash, '');
    assert.equal(ui.message, 'Shared answers cleared.');
    assert.deepEqual(await readAnswers(page), BLANK_TOP);
    assert.equal(await storageOf(page, KEY), null);
  });
});

test('a link from an older structure (other hash, renamed ids) restores what fits and says how many could not be', async () => {
  await s.withPage(async (page) => {
    const frag = encodeFragment({
      w: 'todays-priority',
      v: 1,
      r: 'h0ld5tru',
      a: {
        'last-message': 'older',
        'reach-time': 3,
        'channel-list': ['email'], // question renamed since
        habits: ['comment', 'tweeted'], // one option renamed since
        'contact-count': 5, // question renamed since
        headline: 'Still here',
      },
    });
    await gotoWorksheet(page, s.url('/top.html') + frag);
    const ui = await readUi(page);
    assert.equal(
      ui.banner,
      'Viewing shared answers. 2 of 6 answers could not be restored, 1 only in part: the worksheet has changed since the link was made.',
    );
    const a = await readAnswers(page);
    assert.equal(a['last-message'], 'older');
    assert.equal(a['reach-time'], '3');
    assert.deepEqual(a.habits, ['comment']);
    assert.equal(a.headline, 'Still here');
    assert.deepEqual(a.channels, []);
    assert.equal(a.contacts, '');
  });
});

test('links for another worksheet or a newer version are refused with a message; the reader’s own answers are shown', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, { headline: 'Mine' });
    const own = await readAnswers(page);
    const cases = [
      [{ w: 'network-health', v: 2, r: HASH, a: { headline: 'x' } }, 'This share link is for a different worksheet.'],
      [{ w: 'todays-priority', v: 3, r: HASH, a: { headline: 'x' } }, 'This share link was made for a newer version of this worksheet.'],
    ];
    for (const [payload, why] of cases) {
      await gotoWorksheet(page, s.url('/top.html') + encodeFragment(payload));
      const ui = await readUi(page);
      assert.equal(ui.message, why + ' Nothing was restored from it; your own answers are shown.');
      assert.equal(ui.banner, null);
      assert.equal(ui.hash, '', 'a refused link is dropped from the address bar');
      assert.deepEqual(await readAnswers(page), own);
      assert.equal(JSON.parse(await storageOf(page, KEY)).a.headline, 'Mine', 'own answers kept');
      await page.goto(s.url('/blank.html'));
    }
    // An older version with the same structure is fine.
    await gotoWorksheet(page, s.url('/top.html') + encodeFragment({ w: 'todays-priority', v: 1, r: HASH, a: { headline: 'Old' } }));
    assert.equal((await readUi(page)).banner, 'Viewing shared answers.');
    assert.equal((await readAnswers(page)).headline, 'Old');
  });
});

test('a link over 2,000 characters is refused with a message; Copy as text copies a summary instead', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    const noise = crypto.randomBytes(1500).toString('base64url').slice(0, 1990); // incompressible
    await fill(page, { 'last-message': 'week', 'reach-time': '1', channels: ['dms'], contacts: '0', headline: 'Long one', notes: noise, 'two-people': 'SECRET', priorities: ['net', 'algo', 'dm'] });
    await page.evaluate(() => navigator.clipboard.writeText('sentinel'));
    await page.click('button[data-action=copy-link]');
    await page.waitForFunction(() => !document.querySelector('.ws-message').hidden);
    const ui = await readUi(page);
    assert.match(ui.message, /^This link would be [\d,]+ characters long, too long to share safely \(the limit is 2,000\)\. Use Copy as text instead\.$/);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'sentinel', 'nothing copied');
    const textButton = page.locator('button[data-action=copy-text]');
    assert.equal(await textButton.isVisible(), true);
    await textButton.click();
    await page.waitForFunction(() => document.querySelector('.ws-message').textContent === 'Answers copied as text.');
    const text = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(text.startsWith("What's my priority today?\n" + s.url('/top.html') + '\n'), text.slice(0, 200));
    assert.ok(text.includes('Result: Send three real messages'));
    assert.ok(text.includes('When did you last send a personal message?\n- This week'));
    assert.ok(text.includes('Where do your best conversations start?\n- Direct messages'));
    assert.ok(text.includes('1. Introductions\n2. Posting\n3. Messages'));
    assert.ok(text.includes(noise));
    assert.ok(!text.includes('SECRET'), 'share:false answers stay out of the text too');
    // A shorter answer makes the link fit again; the text button goes away.
    await page.fill('#ws-notes', 'short');
    const link = await copyLink(page);
    assert.equal(decodeLink(link).payload.a.notes, 'short');
    assert.equal(await textButton.isVisible(), false);
  });
});

test('without clipboard access the link is shown in a read-only, selected field', async () => {
  await s.withPage(
    async (page) => {
      await gotoWorksheet(page, s.url('/top.html'));
      await fill(page, { headline: 'Manual copy', quiz: 'note' });
      await page.click('button[data-action=copy-link]');
      const field = page.locator('input.ws-copy');
      await field.waitFor();
      const state = await field.evaluate((f) => ({
        value: f.value,
        readOnly: f.readOnly,
        focused: document.activeElement === f,
        selected: f.selectionStart === 0 && f.selectionEnd === f.value.length,
        label: f.getAttribute('aria-label'),
      }));
      assert.equal(state.readOnly, true);
      assert.equal(state.focused, true);
      assert.equal(state.selected, true);
      assert.equal(state.label, 'Share link');
      assert.deepEqual(decodeLink(state.value).payload.a, { headline: 'Manual copy', quiz: 'note' });
      assert.match((await readUi(page)).message, /^Copying was blocked/);
      await page.click('button[data-action=copy-link]');
      assert.equal(await page.locator('.ws-copy').count(), 1, 'one field, not one per click');
    },
    { noClipboard: true },
  );
});

test('with nothing answered, Copy link says there is nothing to share', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, { 'two-people': 'private only' });
    await page.click('button[data-action=copy-link]');
    assert.equal((await readUi(page)).message, 'Answer a question first: there is nothing to share yet.');
  });
});

test('a link opened on an already-open worksheet (same-document navigation) is shown too', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fill(page, { headline: 'Mine' });
    await page.evaluate((f) => {
      location.hash = f;
    }, encodeFragment({ w: 'todays-priority', v: 2, r: HASH, a: { headline: 'Theirs' } }));
    await page.waitForFunction(() => !document.querySelector('.ws-banner').hidden);
    assert.equal((await readAnswers(page)).headline, 'Theirs');
    assert.equal(JSON.parse(await storageOf(page, KEY)).a.headline, 'Mine');
  });
});

test('#13.14: of two links opened one after the other, the newer is shown even when the older loads slower', async () => {
  await s.withPage(
    async (page) => {
      await gotoWorksheet(page, s.url('/top.html'));
      await fill(page, { headline: 'Mine' });
      const older = encodeFragment({ w: 'todays-priority', v: 2, r: HASH, a: { headline: 'Older link', quiz: 'tagged' } }, 'z');
      const newer = encodeFragment({ w: 'todays-priority', v: 2, r: HASH, a: { headline: 'Newer link' } });
      await page.evaluate(
        ([a, b]) => {
          location.hash = a;
          setTimeout(() => {
            location.hash = b;
          }, 100);
        },
        [older, newer],
      );
      await page.waitForFunction(() => !document.querySelector('.ws-banner').hidden);
      await page.waitForTimeout(1500); // the older link's decompression is over by now
      const a = await readAnswers(page);
      assert.equal(a.headline, 'Newer link');
      assert.equal(a.quiz, null, 'nothing of the older link');
      assert.equal((await readUi(page)).hash, newer);
      assert.equal(JSON.parse(await storageOf(page, KEY)).a.headline, 'Mine');
    },
    { slowInflate: 700 },
  );
});

test('Clear, Reset or Make it mine while a newer link loads: that link does not turn up afterwards', async () => {
  for (const action of ['clear', 'reset', 'make-mine']) {
    await s.withPage(
      async (page) => {
        await gotoWorksheet(page, s.url('/top.html'));
        await fill(page, { headline: 'Mine' });
        await gotoWorksheet(page, s.url('/top.html') + encodeFragment({ w: 'todays-priority', v: 2, r: HASH, a: { headline: 'First link' } }));
        const slow = encodeFragment({ w: 'todays-priority', v: 2, r: HASH, a: { headline: 'Slow link' } }, 'z');
        await page.evaluate((f) => {
          location.hash = f;
        }, slow);
        await page.click(`button[data-action=${action}]`);
        await page.waitForTimeout(1500);
        const ui = await readUi(page);
        assert.equal(ui.banner, null, `${action}: no banner`);
        assert.equal(ui.hash, '', `${action}: no fragment`);
        assert.notEqual((await readAnswers(page)).headline, 'Slow link', action);
      },
      { slowInflate: 700 },
    );
  }
});

test('two quick clicks on Copy link with the clipboard refused leave one manual-copy field', async () => {
  await s.withPage(
    async (page) => {
      await gotoWorksheet(page, s.url('/top.html'));
      await fill(page, { headline: 'Twice' });
      await page.click('button[data-action=copy-link]');
      await page.click('button[data-action=copy-link]');
      await page.locator('input.ws-copy').first().waitFor();
      await page.waitForTimeout(500);
      assert.equal(await page.locator('.ws-copy').count(), 1);
      assert.match((await readUi(page)).message, /^Copying was blocked/);
    },
    { clipboardRejects: 200 },
  );
});
