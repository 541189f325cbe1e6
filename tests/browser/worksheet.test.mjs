// The worksheet script in a real browser: filling every question type with the mouse and with
// the keyboard, the live result (by: top and by: bands), autosave across reloads, Reset,
// multi limits, knowledge checks, rank buttons, Print, and the page without JavaScript.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BLANK_TOP,
  focused,
  gotoWorksheet,
  launch,
  openPage,
  readAnswers,
  readUi,
  session,
  storageOf,
  tabTo,
} from './lib/harness.mjs';

const s = session();
const TOP_KEY = 'sheaf:ws:/theme/:todays-priority:v2';
const BANDS_KEY = 'sheaf:ws:/theme/:network-health:v1';

// The scenario both fill tests end with (see the scores in fixtures/top.html):
// dm 3 (older) + 2 (rank #2) = 5; net 5 (events, intros) + 1 (thank) + 2 (4 contacts x 0.5)
// + 1 (rank #3) = 9; algo 2 (reach 2) + 1 (comment) + 3 (rank #1) = 6  ->  net.
const FILLED = {
  'last-message': 'older',
  'reach-time': '2',
  channels: ['events', 'intros'],
  habits: ['comment', 'thank'],
  contacts: '4',
  headline: 'Connector of people',
  notes: 'Follow up with Sam.',
  'two-people': 'Ana, because of her talk',
  priorities: ['algo', 'dm', 'net'],
  quiz: 'note',
};

const result = async (page) => (await readUi(page)).result;

/** Answers every question of top.html as FILLED, with the mouse where it is a click. */
async function fillTop(page) {
  await page.check('#ws-last-message-older');
  await page.check('#ws-reach-time-2');
  await page.check('#ws-channels-events');
  await page.check('#ws-channels-intros');
  await page.check('#ws-habits-comment');
  await page.check('#ws-habits-thank');
  await page.fill('#ws-contacts', '4');
  await page.fill('#ws-headline', FILLED.headline);
  await page.fill('#ws-notes', FILLED.notes);
  await page.fill('#ws-two-people', FILLED['two-people']);
  await page.click('li[data-option=algo] button[data-move=up]');
  await page.click('li[data-option=algo] button[data-move=up]');
  await page.check('#ws-quiz-note');
}

/** Reset asks first; this answers "Clear answers". */
async function reset(page) {
  await page.click('button[data-action=reset]');
  await page.click('button[data-action=reset-yes]');
}
const verdict = (page) =>
  page.evaluate(() => {
    const fb = document.querySelector('#q-quiz .ws-feedback');
    return fb.hidden ? null : fb.querySelector('.ws-verdict').textContent;
  });

test('without JavaScript the form is complete and readable, and the script-only controls stay hidden', async () => {
  const b = await launch({ javaScriptEnabled: false });
  try {
    const page = await openPage(b.context);
    await page.goto(s.url('/top.html'));
    const state = await page.evaluate(() => ({
      questions: document.querySelectorAll('fieldset.ws-q').length,
      radios: document.querySelectorAll('input[type=radio]').length,
      actions: getComputedStyle(document.querySelector('.ws-actions')).display,
      rankButtons: [...document.querySelectorAll('.ws-rank-buttons')].map((e) => getComputedStyle(e).display),
      banner: getComputedStyle(document.querySelector('.ws-banner')).display,
      results: [...document.querySelectorAll('.ws-all-results a')].length,
    }));
    assert.equal(state.questions, 10);
    assert.equal(state.radios, 11);
    assert.equal(state.actions, 'none');
    assert.deepEqual(state.rankButtons, ['none', 'none', 'none']);
    assert.equal(state.banner, 'none');
    assert.equal(state.results, 3);
    await page.click('label[for=ws-last-message-week]');
    assert.equal(await page.isChecked('#ws-last-message-week'), true, 'native inputs work without the script');
    assert.deepEqual(await page.trouble(), []);
  } finally {
    await b.close();
  }
});

test('top: every question type filled with the mouse; the result follows each answer', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    let ui = await readUi(page);
    assert.deepEqual(ui.result, [], 'no result before any scored answer');
    assert.equal(ui.status, 'Answer the questions to see your result.');

    await page.click('label[for=ws-last-message-older]');
    ui = await readUi(page);
    assert.deepEqual(ui.result, [], 'no verdict on one of the six answers that decide it');
    assert.equal(ui.status, '1 of 10 answered: 3 more to see your result.');

    await page.click('label[for=ws-reach-time-2]');
    await page.click('label[for=ws-channels-events]');
    await page.click('label[for=ws-channels-intros]');
    ui = await readUi(page);
    assert.deepEqual(ui.result, []);
    assert.equal(ui.status, '3 of 10 answered: 1 more to see your result.');

    await page.click('label[for=ws-habits-comment]');
    await page.click('label[for=ws-habits-thank]');
    await page.click('#ws-contacts');
    await page.keyboard.type('4');

    await page.click('#ws-headline');
    await page.keyboard.type(FILLED.headline);
    await page.click('#ws-notes');
    await page.keyboard.type(FILLED.notes);
    await page.click('#ws-two-people');
    await page.keyboard.type(FILLED['two-people']);

    const up = 'li[data-option=algo] button[data-move=up]';
    await page.click(up);
    await page.click(up);
    assert.equal(await focused(page), 'button in algo up', 'focus stays on the moved item’s button');

    await page.click('label[for=ws-quiz-tagged]');
    assert.equal(await verdict(page), 'Not quite.');
    await page.click('label[for=ws-quiz-note]');
    assert.equal(await verdict(page), 'Correct.');

    assert.deepEqual(await readAnswers(page), FILLED);
    ui = await readUi(page);
    assert.deepEqual(ui.result, ['net']);
    assert.equal(ui.status, '10 of 10 answered.');
    assert.equal(
      await page.locator('.ws-result-item[data-result=net] h3').textContent(),
      'Make one introduction',
    );

    // reach 5: algo 9 ties net 9, and a tie goes to the earlier result (net).
    await page.click('label[for=ws-reach-time-5]');
    assert.deepEqual(await result(page), ['net'], 'ties go to the earlier result');
    // No contacts at all: net 7 < algo 9.
    await page.fill('#ws-contacts', '0');
    assert.deepEqual(await result(page), ['algo']);
    // An answer that decides the result taken away: the verdict waits again.
    await page.fill('#ws-contacts', '');
    ui = await readUi(page);
    assert.deepEqual(ui.result, []);
    assert.equal(ui.status, '9 of 10 answered: 1 more to see your result.');
  });
});

test('top: every question type filled with the keyboard only', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    const kb = page.keyboard;

    await tabTo(page, '#ws-last-message-today'); // a radio group is one Tab stop
    await kb.press('ArrowDown');
    await kb.press('ArrowDown');
    await kb.press('Tab');
    assert.equal(await focused(page), '#ws-reach-time-1');
    await kb.press('Space');
    await kb.press('ArrowRight');
    await kb.press('Tab');
    assert.equal(await focused(page), '#ws-channels-email');
    await kb.press('Tab');
    await kb.press('Tab');
    await kb.press('Space'); // events
    await kb.press('Tab');
    await kb.press('Space'); // intros
    await kb.press('Tab');
    assert.equal(await focused(page), '#ws-habits-comment', 'limit reached: unticked boxes are skipped');
    await kb.press('Space');
    await kb.press('Tab');
    await kb.press('Tab');
    await kb.press('Space'); // thank
    await kb.press('Tab');
    await kb.press('Tab');
    assert.equal(await focused(page), '#ws-contacts');
    await kb.type('4');
    await kb.press('Tab');
    await kb.type(FILLED.headline);
    await kb.press('Tab');
    await kb.type(FILLED.notes);
    await kb.press('Tab');
    await kb.type(FILLED['two-people']);

    await tabTo(page, 'li[data-option=algo] button[data-move=up]');
    await kb.press('Enter');
    assert.equal(await focused(page), 'button in algo up');
    await kb.press('Space');
    assert.equal(await focused(page), 'button in algo up', 'focus follows the moved item');
    assert.deepEqual((await readAnswers(page)).priorities, ['algo', 'dm', 'net']);
    await kb.press('Space'); // already first: nothing moves
    assert.deepEqual((await readAnswers(page)).priorities, ['algo', 'dm', 'net']);
    assert.equal(await page.getAttribute('li[data-option=algo] button[data-move=up]', 'aria-disabled'), 'true');

    await tabTo(page, '#ws-quiz-tagged');
    await kb.press('ArrowDown'); // note
    assert.equal(await verdict(page), 'Correct.');

    assert.deepEqual(await readAnswers(page), FILLED);
    const ui = await readUi(page);
    assert.deepEqual(ui.result, ['net']);
    assert.equal(ui.status, '10 of 10 answered.');

    // Reset asks first and offers "Keep them" focused; Keep changes nothing.
    await tabTo(page, 'button[data-action=reset]');
    await kb.press('Enter');
    assert.equal(await focused(page), 'button[data-action=keep]');
    await kb.press('Enter');
    assert.equal(await focused(page), 'button[data-action=reset]');
    assert.deepEqual(await readAnswers(page), FILLED, 'Keep them keeps them');
    await kb.press('Enter');
    await kb.press('Shift+Tab');
    assert.equal(await focused(page), 'button[data-action=reset-yes]');
    await kb.press('Enter');
    assert.deepEqual(await readAnswers(page), BLANK_TOP);
  });
});

test('rank: Down moves an item and keeps focus on its Down button; a screen-reader note says where it went', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    assert.equal(await page.getAttribute('li[data-option=dm] button[data-move=up]', 'aria-disabled'), 'true');
    assert.equal(await page.isVisible('li[data-option=dm] button[data-move=up]'), true, 'buttons unhidden');
    await page.focus('li[data-option=dm] button[data-move=down]');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), 'button in dm down');
    assert.deepEqual((await readAnswers(page)).priorities, ['net', 'algo', 'dm']);
    assert.equal(await page.getAttribute('li[data-option=dm] button[data-move=down]', 'aria-disabled'), 'true');
    assert.equal(
      await page.evaluate(() => document.querySelector('form > p[aria-live]').textContent),
      'Messages: position 3 of 3.',
    );
    // Untouched, a rank question is not an answer; once moved it is one (and scores).
    assert.equal((await readUi(page)).status, '1 of 10 answered: 4 more to see your result.');
    assert.deepEqual(JSON.parse(await storageOf(page, TOP_KEY)).a, { priorities: ['net', 'algo', 'dm'] });
  });
});

test('multi: at the maximum, other boxes are disabled and the hint says so; unticking re-enables them', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await page.check('#ws-channels-email');
    await page.check('#ws-channels-dms');
    const state = () =>
      page.evaluate(() => ({
        disabled: [...document.querySelectorAll('#q-channels input')].filter((i) => i.disabled).map((i) => i.value),
        hint: document.querySelector('#q-channels .ws-hint').textContent,
      }));
    assert.deepEqual(await state(), {
      disabled: ['events', 'intros'],
      hint: 'Choose one or two. Limit reached: untick one to choose another.',
    });
    await page.click('label[for=ws-channels-events]', { force: true }); // refused: disabled
    assert.deepEqual((await readAnswers(page)).channels, ['email', 'dms']);
    await page.uncheck('#ws-channels-dms');
    assert.deepEqual(await state(), { disabled: [], hint: 'Choose one or two.' });
    await page.check('#ws-channels-events');
    assert.deepEqual((await readAnswers(page)).channels, ['email', 'events']);
  });
});

test('knowledge check: no feedback until answered, then the verdict and explanation', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    assert.equal(await verdict(page), null);
    assert.equal(await page.isVisible('#q-quiz .ws-explain'), false);
    await page.check('#ws-quiz-request');
    assert.equal(await verdict(page), 'Not quite.');
    assert.equal(await page.isVisible('#q-quiz .ws-explain'), true);
    await page.check('#ws-quiz-note');
    assert.equal(await verdict(page), 'Correct.');
    // Not a scored question: no result yet.
    assert.deepEqual(await result(page), []);
  });
});

test('autosave: answers survive a reload; Reset clears the page and the storage', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await fillTop(page);
    assert.deepEqual(await readAnswers(page), FILLED);
    const saved = JSON.parse(await storageOf(page, TOP_KEY));
    assert.equal(saved.a['two-people'], FILLED['two-people'], 'share:false answers are saved locally');
    assert.equal(saved.a.contacts, 4);

    await page.reload();
    await gotoWorksheet(page, s.url('/top.html'));
    assert.deepEqual(await readAnswers(page), FILLED, 'every answer restored, rank order included');
    assert.deepEqual(await result(page), ['net']);
    assert.equal(await verdict(page), 'Correct.');
    assert.equal(await page.isDisabled('#ws-channels-email'), true, 'multi limit applied after restore');

    await reset(page);
    assert.deepEqual(await readAnswers(page), BLANK_TOP);
    const ui = await readUi(page);
    assert.deepEqual(ui.result, []);
    assert.equal(ui.status, 'Answer the questions to see your result.');
    assert.equal(ui.message, 'Your answers have been cleared.');
    assert.equal(await storageOf(page, TOP_KEY), null);
    assert.equal(await verdict(page), null);
    assert.equal(await page.isDisabled('#ws-channels-email'), false);

    await page.reload();
    await gotoWorksheet(page, s.url('/top.html'));
    assert.deepEqual(await readAnswers(page), BLANK_TOP, 'still blank after reload');
  });
});

test('autosave: a corrupt or tampered stored value is ignored or filtered, never trusted', async () => {
  await s.withPage(async (page) => {
    await page.evaluate((k) => localStorage.setItem(k, '{not json'), TOP_KEY);
    await gotoWorksheet(page, s.url('/top.html'));
    assert.deepEqual(await readAnswers(page), BLANK_TOP);
    await page.evaluate(
      (k) =>
        localStorage.setItem(
          k,
          JSON.stringify({ a: { headline: '<img src=x onerror=alert(1)>', contacts: 999, quiz: 'nope', priorities: ['net'] } }),
        ),
      TOP_KEY,
    );
    await page.reload();
    await gotoWorksheet(page, s.url('/top.html'));
    const a = await readAnswers(page);
    assert.equal(a.headline, '<img src=x onerror=alert(1)>');
    assert.equal(a.contacts, '');
    assert.equal(a.quiz, null);
    assert.deepEqual(a.priorities, ['net', 'dm', 'algo']);
    assert.equal(await page.locator('img').count(), 0);
  });
});

test('#13.14: a stored number off its step is not restored either', async () => {
  await s.withPage(async (page) => {
    await page.evaluate((k) => localStorage.setItem(k, JSON.stringify({ a: { contacts: 2.5, headline: 'kept' } })), TOP_KEY);
    await gotoWorksheet(page, s.url('/top.html'));
    const a = await readAnswers(page);
    assert.equal(a.contacts, '');
    assert.equal(a.headline, 'kept');
  });
});

test('bands: the total picks the band, boundaries included', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/bands.html'));
    assert.deepEqual(await result(page), []);
    await page.click('label[for=ws-talks-none]'); // 0
    let ui = await readUi(page);
    assert.deepEqual(ui.result, [], 'no band on one of the two answers that decide it');
    assert.equal(ui.status, '1 of 4 answered: 1 more to see your result.');
    await page.click('label[for=ws-confidence-4]'); // 4
    assert.deepEqual(await result(page), ['quiet'], '4 is the top of quiet');
    assert.equal((await readUi(page)).status, '2 of 4 answered.', 'a checklist and a rank may stay as they are');
    await page.click('label[for=ws-confidence-5]'); // 5
    assert.deepEqual(await result(page), ['growing'], '5 is the bottom of growing');
    await page.click('label[for=ws-talks-many]'); // 9
    assert.deepEqual(await result(page), ['growing']);
    await page.click('label[for=ws-habits-list]'); // 10
    assert.deepEqual(await result(page), ['thriving']);
    await page.click('label[for=ws-habits-intro]');
    await page.click('label[for=ws-habits-asked]'); // 13 (the rank is untouched: not counted)
    ui = await readUi(page);
    assert.deepEqual(ui.result, ['thriving']);
    assert.equal(ui.status, '3 of 4 answered.');
    assert.equal(await page.locator('.ws-result-item[data-result=thriving] h3').textContent(), 'Thriving');
    await page.click('label[for=ws-habits-list]');
    await page.click('label[for=ws-habits-intro]');
    await page.click('label[for=ws-habits-asked]');
    await page.click('label[for=ws-talks-none]');
    await page.click('label[for=ws-confidence-2]'); // 2
    assert.deepEqual(await result(page), ['quiet']);
    // Rank: score x (n - position). Calls (score 1) stays first once the list is touched: +3.
    await page.click('li[data-option=post] button[data-move=up]'); // calls, posts, coffees
    ui = await readUi(page);
    assert.deepEqual(ui.result, ['growing'], '2 + 3 = 5');
    assert.equal(ui.status, '3 of 4 answered.');
    await page.click('li[data-option=call] button[data-move=down]'); // posts, calls, coffees: +2
    assert.deepEqual(await result(page), ['quiet'], '2 + 2 = 4');
    await page.click('li[data-option=call] button[data-move=down]'); // posts, coffees, calls: +1
    assert.deepEqual(await result(page), ['quiet']);
    assert.deepEqual(JSON.parse(await storageOf(page, BANDS_KEY)).a, { talks: 'none', confidence: 2, order: ['post', 'coffee', 'call'] });
  });
});

test('Print calls window.print(); print styles hide the controls and keep the answers', async () => {
  await s.withPage(
    async (page) => {
      await gotoWorksheet(page, s.url('/top.html'));
      await fillTop(page);
      await page.fill('#ws-headline', 'Printed headline');
      await page.click('button[data-action=print]');
      assert.equal(await page.evaluate(() => window.__printed), 1);
      await page.emulateMedia({ media: 'print' });
      const shown = await page.evaluate(() => {
        const d = (s) => getComputedStyle(document.querySelector(s)).display;
        return {
          actions: d('.ws-actions'),
          rank: d('.ws-rank-buttons'),
          radio: d('#ws-last-message-week'),
          headline: d('#ws-headline'),
          result: d('.ws-result-item[data-result=net]'),
          share: d('.ws-result-share'),
        };
      });
      assert.deepEqual(
        { ...shown, radio: shown.radio !== 'none', headline: shown.headline !== 'none', result: shown.result !== 'none' },
        { actions: 'none', rank: 'none', radio: true, headline: true, result: true, share: 'none' },
      );
      await page.emulateMedia({ media: 'screen' });
    },
    { stubPrint: true },
  );
});

test('the form never submits (Enter in a text field keeps the page and answers)', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/top.html'));
    await page.check('#ws-last-message-week');
    await page.fill('#ws-headline', 'Enter test');
    await page.focus('#ws-headline');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(100);
    assert.equal(page.url(), s.url('/top.html'));
    assert.equal((await readAnswers(page)).headline, 'Enter test');
    assert.equal(await page.isChecked('#ws-last-message-week'), true);
  });
});
