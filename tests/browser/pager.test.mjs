// The numbered pager of a long list as a reader sees it, at 390 and 1280 px: every number
// left out is stood for by a visible `…`, and the pager fits one line up to three-digit
// page numbers. Regression:
// a phone hid the two numbers farthest from the current page and nothing stood for them
// (`1 3 4 5 … 50`, page 2 skipped without a gap).
// The binary is $SHEAF_BIN, else target/release/sheaf (scripts/browser-tests builds it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildForTests, openPage, serveBuilt } from './lib/harness.mjs';

const BASE = '/pager/';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sheaf-pager-site-'));
const write = (rel, text) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
};
write('config.yaml', 'title: Pager\nbase_url: https://example.org/\npaginate_by: 2\nsearch: { enabled: false }\n');
write('content/_index.md', '---\ntitle: Home\n---\n');
write('content/essays/_index.md', '---\ntitle: Essays\n---\n');
for (let n = 1; n <= 250; n++) {
  const day = String(1 + (n % 28)).padStart(2, '0');
  const month = String(1 + Math.floor(n / 28)).padStart(2, '0');
  write(`content/essays/e${n}.md`, `---\ntitle: Essay ${n}\ndate: 2024-${month}-${day}\n---\nText ${n}.\n`);
}

const { out, skip, buildError } = buildForTests(root, BASE, 'sheaf-pager-');
const opts = { skip: skip || (buildError ? 'the build failed (see the test above)' : false) };
const site = serveBuilt({ out, skip: opts.skip, mounts: () => ({ [BASE]: path.join(out, 'site') }) });

test('pager: the site builds', () => {
  fs.rmSync(root, { recursive: true, force: true });
  assert.equal(buildError, null, buildError ?? '');
});

/** The pager's entries a reader sees, in order, and whether its numbers sit on one line. */
const seenPager = () => {
  const items = [...document.querySelectorAll('.list-pager-numbers li')].filter((li) => getComputedStyle(li).display !== 'none');
  const tops = new Set(items.map((li) => Math.round(li.getBoundingClientRect().top)));
  return { seen: items.map((li) => li.textContent.replace('Page', '').trim()), oneLine: tops.size === 1 };
};

for (const width of [390, 1280]) {
  test(`pager: every left-out number has a gap at ${width} px`, opts, async () => {
    const page = await openPage(site.browser.context);
    await page.setViewportSize({ width, height: 900 });
    const total = 125; // three-digit numbers: the widest a pager of this site gets
    for (const current of [1, 2, 3, 4, 5, 9, 10, 60, 99, 100, 121, 122, 123, 124, 125]) {
      const url = site.server.url(`${BASE}${current === 1 ? '' : `page/${current}/`}`);
      await page.goto(url);
      const { seen, oneLine } = await page.evaluate(seenPager);
      const numbers = seen.filter((s) => s !== '…').map(Number);
      assert.ok(numbers.includes(current) && numbers[0] === 1 && numbers.at(-1) === total, `${current}: ${seen.join(' ')}`);
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1], seen[i]];
        if (a === '…' || b === '…') {
          assert.notEqual(a, b, `${current}: two gaps side by side: ${seen.join(' ')}`);
          continue;
        }
        assert.equal(Number(b), Number(a) + 1, `${current} at ${width} px: ${a} then ${b} with no gap: ${seen.join(' ')}`);
      }
      // A gap stands for at least one number.
      for (let i = 1; i + 1 < seen.length; i++) {
        if (seen[i] === '…') assert.ok(Number(seen[i + 1]) - Number(seen[i - 1]) >= 2, `${current}: ${seen.join(' ')}`);
      }
      assert.ok(oneLine, `${current} at ${width} px: the pager wraps: ${seen.join(' ')}`);
      if (width === 390) assert.ok(seen.length <= 7, `${current}: a phone's pager is seven at most: ${seen.join(' ')}`);
    }
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}
