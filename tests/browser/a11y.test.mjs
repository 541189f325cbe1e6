// axe-core on the worksheet pages in the states the script creates, in light and dark schemes.
// axe is loaded from the test server (same origin), so it runs under the page's CSP unchanged.
// Fails on serious or critical violations.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { encodeFragment, fill, gotoWorksheet, session } from './lib/harness.mjs';

const s = session();

async function axe(page, label) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ url: '/vendor/axe.min.js' });
  const { violations, version } = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return { violations: r.violations, version: r.testEngine.version };
  });
  assert.match(version, /^4\.14\./);
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '')).join('\n  ')}`);
  assert.deepEqual(report, [], `${label}: serious/critical axe violations`);
}

for (const scheme of ['light', 'dark']) {
  test(`axe (${scheme}): top worksheet, blank and fully answered with feedback and limits showing`, async () => {
    await s.withPage(async (page) => {
      await page.emulateMedia({ colorScheme: scheme });
      await gotoWorksheet(page, s.url('/top.html'));
      await axe(page, 'blank');
      await fill(page, {
        'last-message': 'older',
        'reach-time': 2,
        channels: ['events', 'intros'],
        habits: ['comment'],
        contacts: 4,
        headline: 'x',
        priorities: ['algo', 'dm', 'net'],
        quiz: 'tagged',
      });
      await page.focus('li[data-option=algo] button[data-move=up]'); // aria-disabled, focused
      await axe(page, 'answered, wrong verdict');
      await page.check('#ws-quiz-note');
      await axe(page, 'answered, right verdict');
    });
  });

  test(`axe (${scheme}): shared-answers banner, refusal message, Copy as text and the manual-copy field`, async () => {
    await s.withPage(
      async (page) => {
        await page.emulateMedia({ colorScheme: scheme });
        const frag = encodeFragment({ w: 'todays-priority', v: 2, r: 'old', a: { headline: 'x', nope: 1 } });
        await gotoWorksheet(page, s.url('/top.html') + frag);
        await axe(page, 'banner');
        await page.click('button[data-action=make-mine]');
        await axe(page, 'message after Make it mine');
        await fill(page, { notes: crypto.randomBytes(1500).toString('base64url').slice(0, 1990) });
        await page.click('button[data-action=copy-link]');
        await page.click('button[data-action=copy-text]');
        await page.locator('textarea.ws-copy').waitFor();
        await axe(page, 'refused link, Copy as text, manual field');
      },
      { noClipboard: true },
    );
  });

  test(`axe (${scheme}): bands worksheet with a result`, async () => {
    await s.withPage(async (page) => {
      await page.emulateMedia({ colorScheme: scheme });
      await gotoWorksheet(page, s.url('/bands.html'));
      await fill(page, { talks: 'few', confidence: 3, habits: ['list'] });
      await axe(page, 'bands answered');
    });
  });
}
