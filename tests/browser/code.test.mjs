// Highlighted code in the guide as a browser shows it, in the light and the dark scheme.
// Each span carries classes for both themes (`hl2 hlb hd4`: light colour 2 in bold, dark
// colour 4) and syntax.css defines the light ones unconditionally, the dark ones inside
// `prefers-color-scheme: dark`. So in each scheme a span whose classes give that scheme no
// colour, no bold and no italic must look exactly like the block around it: nothing from the
// other scheme's theme may show. (src/markdown/tests/colors.rs checks every colour against
// syntect's own highlighter by reading the CSS; this checks the real cascade.)
// The binary is $SHEAF_BIN, else target/release/sheaf (scripts/browser-tests builds it).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { REPO, buildForTests, serveBuilt } from './lib/harness.mjs';

const BASE = '/sheaf/';
const PAGES = ['docs/configuration/', 'docs/writing/', 'docs/publishing/', 'docs/worksheets/'];

const { out, skip, buildError } = buildForTests(REPO, BASE, 'sheaf-code-');
const opts = { skip: skip || (buildError ? 'the build failed (see the test above)' : false) };

const site = serveBuilt({ out, skip: opts.skip, mounts: () => ({ [BASE]: path.join(out, 'site') }) });

test('code: the guide builds', () => {
  assert.equal(buildError, null, buildError ?? '');
});

for (const scheme of ['light', 'dark']) {
  test(`code (${scheme}): spans show only this scheme's theme`, opts, async () => {
    const page = await site.browser.context.newPage();
    try {
      await page.emulateMedia({ colorScheme: scheme });
      let spans = 0;
      let coloured = 0;
      for (const p of PAGES) {
        await page.goto(site.server.url(BASE + p));
        const found = await page.evaluate((prefix) => {
          const problems = [];
          let spans = 0;
          let coloured = 0;
          for (const pre of document.querySelectorAll('pre.code')) {
            const block = getComputedStyle(pre);
            for (const span of pre.querySelectorAll('span')) {
              spans += 1;
              const mine = [...span.classList].filter((c) => c.startsWith(prefix));
              const style = getComputedStyle(span);
              const has = (re) => mine.some((c) => re.test(c));
              const say = (what) => problems.push(`${span.className} "${span.textContent.slice(0, 20)}": ${what}`);
              // A colour class, or a background class (it sets the text colour readable on it).
              if (has(/^h[ld]g?\d+$/)) {
                if (style.color !== block.color) coloured += 1;
              } else if (style.color !== block.color) {
                say(`colour ${style.color}, the block's is ${block.color}`);
              }
              if (!has(/^h[ld]i$/) && style.fontStyle !== 'normal') say(`font-style ${style.fontStyle}`);
              if (!has(/^h[ld]b$/) && style.fontWeight !== block.fontWeight) say(`font-weight ${style.fontWeight}`);
              if (!has(/^h[ld]g\d+$/) && style.backgroundColor !== 'rgba(0, 0, 0, 0)') {
                say(`background ${style.backgroundColor}`);
              }
            }
          }
          return { problems, spans, coloured };
        }, scheme === 'dark' ? 'hd' : 'hl');
        assert.deepEqual(found.problems, [], `${p} (${scheme})`);
        spans += found.spans;
        coloured += found.coloured;
      }
      assert.ok(spans > 50, `${spans} highlighted spans in the guide`);
      assert.ok(coloured > 20, `${coloured} spans coloured in the ${scheme} scheme`);
    } finally {
      await page.close();
    }
  });
}
