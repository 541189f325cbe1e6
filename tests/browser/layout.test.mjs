// The worksheets of the guide as a reader sees them, at 390 and 1280 px, light and dark:
// geometry that makes a question read well, asserted from the real layout, and a screenshot
// of every question for a person to look at (written to $SHEAF_SHOTS, else
// target/screenshots/worksheets/). Each assertion failed on the theme before issue #16:
// prompts sat in the top border, a scale was a column of radios, rank rows had uneven
// heights, and a number out of range only turned red.
// The binary is $SHEAF_BIN, else target/release/sheaf (scripts/browser-tests builds it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO, buildForTests, serveBuilt } from './lib/harness.mjs';

const BASE = '/sheaf/';
const PAGES = ['worksheets/connection-audit/', 'worksheets/todays-priority/', 'worksheets/your-hundred/'];
const SHOTS = process.env.SHEAF_SHOTS || path.join(REPO, 'target/screenshots/worksheets');

const { out, skip, buildError } = buildForTests(REPO, BASE, 'sheaf-layout-');
const opts = { skip: skip || (buildError ? 'the build failed (see the test above)' : false) };
const site = serveBuilt({ out, skip: opts.skip, mounts: () => ({ [BASE]: path.join(out, 'site') }) });

test('layout: the guide builds', () => {
  assert.equal(buildError, null, buildError ?? '');
});

/** Geometry problems of every question on the page, in words. */
const problemsOnPage = () => {
  const bad = [];
  const r = (el) => el.getBoundingClientRect();
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) bad.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
  for (const q of document.querySelectorAll('fieldset.ws-q')) {
    const id = q.dataset.q;
    const box = r(q);
    // A legend left in the border starts at the box's top edge (the border is drawn through
    // its middle); a prompt inside the box starts below the border and the padding.
    const style = getComputedStyle(q);
    const inside = box.top + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop) - 1;
    const prompt = r(q.querySelector(':scope > legend'));
    if (prompt.top < inside) bad.push(`${id}: the prompt sits in the top border (${Math.round(prompt.top - box.top)} px from the edge)`);
    for (const el of q.querySelectorAll('*')) {
      const e = r(el);
      if (e.width && (e.right > box.right + 0.5 || e.left < box.left - 0.5) && getComputedStyle(el).position !== 'absolute') {
        bad.push(`${id}: <${el.tagName.toLowerCase()} class="${el.className}"> overflows its question`);
        break;
      }
    }
    if (q.dataset.type === 'scale') {
      const tops = [...q.querySelectorAll('input[type=radio]')].map((i) => Math.round(r(i.closest('label')).top));
      if (new Set(tops).size !== 1) bad.push(`${id}: scale points are not one row (${tops})`);
      const ends = q.querySelector('.ws-scale-ends');
      if (ends) {
        const row = r(q.querySelector('input[type=radio]').closest('label').parentElement);
        const [lo, hi] = [...ends.children].map(r);
        if (Math.abs(lo.left - row.left) > 2 || Math.abs(hi.right - row.right) > 2) bad.push(`${id}: end labels are not under the ends`);
        if (lo.top < row.bottom) bad.push(`${id}: end labels are not under the scale`);
      }
    }
    if (q.dataset.type === 'rank') {
      const rows = [...q.querySelectorAll('.ws-rank li')].map(r);
      const heights = new Set(rows.map((x) => Math.round(x.height)));
      if (heights.size !== 1) bad.push(`${id}: rank rows differ in height (${[...heights]})`);
      const buttons = [...q.querySelectorAll('.ws-rank-buttons')].map((b) => Math.round(r(b).right));
      if (new Set(buttons).size !== 1) bad.push(`${id}: rank buttons are not aligned (${buttons})`);
      const fonts = new Set([...q.querySelectorAll('.ws-rank-label')].map((l) => getComputedStyle(l).fontFamily));
      const body = getComputedStyle(document.querySelector('.prose, main') || document.body).fontFamily;
      if (fonts.size !== 1 || !fonts.has(body)) bad.push(`${id}: rank labels are not in the options' font`);
    }
    if (getComputedStyle(q.querySelector(':scope > legend')).fontWeight >= 700) bad.push(`${id}: the whole prompt is bold`);
  }
  return bad;
};

for (const scheme of ['light', 'dark']) {
  for (const width of [390, 1280]) {
    test(`layout (${scheme}, ${width} px): every question reads well, screenshots saved`, opts, async () => {
      const page = await site.browser.context.newPage();
      try {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme: scheme });
        fs.mkdirSync(SHOTS, { recursive: true });
        const problems = [];
        for (const p of PAGES) {
          await page.goto(site.server.url(BASE + p), { waitUntil: 'load' });
          problems.push(...(await page.evaluate(problemsOnPage)).map((x) => `${p}: ${x}`));
          const name = p.split('/').filter(Boolean).pop();
          for (const q of await page.$$('fieldset.ws-q')) {
            const id = await q.getAttribute('data-q');
            const type = await q.getAttribute('data-type');
            await q.screenshot({ path: path.join(SHOTS, `${name}-${id}-${type}-${scheme}-${width}.png`) });
          }
        }
        assert.deepEqual(problems, [], `${scheme}, ${width} px`);
      } finally {
        await page.close();
      }
    });
  }
}

test('layout: a number outside its range is explained in words, and the words go when fixed', opts, async () => {
  const page = await site.browser.context.newPage();
  try {
    await page.goto(site.server.url(BASE + 'worksheets/your-hundred/'), { waitUntil: 'load' });
    const input = page.locator('fieldset.ws-q[data-type=number] input');
    const hintId = await input.getAttribute('aria-describedby');
    assert.ok(hintId, 'the range is tied to the input');
    const hint = page.locator(`#${hintId}`);
    const range = (await hint.textContent()).trim();
    assert.match(range, /\d/, 'the range is shown before any answer');
    await input.fill('9999');
    assert.match(await hint.textContent(), /9999 is more than \d+\./);
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    await input.fill('-5');
    assert.match(await hint.textContent(), /-5 is less than \d+\./);
    await input.fill('12');
    assert.equal((await hint.textContent()).trim(), range);
    assert.equal(await input.getAttribute('aria-invalid'), 'false');
  } finally {
    await page.close();
  }
});

test('layout: a scale is still a native radio group for the keyboard', opts, async () => {
  const page = await site.browser.context.newPage();
  try {
    await page.goto(site.server.url(BASE + 'worksheets/connection-audit/'), { waitUntil: 'load' });
    const scale = page.locator('fieldset.ws-q[data-type=scale]').first();
    const radios = scale.locator('input[type=radio]');
    await radios.first().focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await radios.nth(2).isChecked(), true, 'arrow keys move along the scale');
    const name = await radios.first().getAttribute('aria-label');
    assert.match(name ?? '', /^0: /, 'the first point is named with its end label');
  } finally {
    await page.close();
  }
});
