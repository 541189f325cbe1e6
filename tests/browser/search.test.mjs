// Site search (issue #17) on a real build of the guide (this repository) under /guide/: the
// Pagefind bundle `sheaf build` writes under /guide/pagefind/, the header's box and panel, and
// the /search/ page, all as themes/default/static/search.js drives them, under the page's own
// Content-Security-Policy (a <meta> sheaf writes, with 'wasm-unsafe-eval' when search is on):
//  - the header box finds the seed essay by a word of it ("algorithm", <mark> in the excerpt)
//    and a worksheet by the words of one of its prompts;
//  - a tag filter on /search/ narrows the results (every one left carries the tag, as its own
//    page says), the address keeps q and tag, a pasted link opens the same search;
//  - keyboard only: "/" and Ctrl-K focus the box ("/" typed in a worksheet field stays there),
//    arrows through the results and back, Escape closes and returns to the box, Enter follows
//    a result; in the box Enter opens the full results page; a click outside closes the panel;
//  - axe (same-origin axe-core, under the CSP) in light and dark, panel open and /search/;
//  - data is never markup: a hostile `q` or tag in the address and typed into the box shows as
//    text, no element made, no dialog;
//  - nothing of the bundle is requested before a box is focused;
//  - "Show more", the no-JavaScript page, and a missing bundle (a quiet message, no error);
//  - no console error, failed request or CSP violation anywhere (harness.openPage records them).
// Skipped without a binary ($SHEAF_BIN, else target/release/sheaf).
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { test } from 'node:test';
import { AXE, REPO, buildForTests, launch, openPage, serveBuilt } from './lib/harness.mjs';

const BASE = '/guide/';
const built = buildForTests(REPO, BASE, 'sheaf-search-');
const skip = built.skip || (built.buildError ? `the build failed:\n${built.buildError}` : false);
const opts = { skip };
const site = serveBuilt({
  out: built.out,
  skip,
  mounts: () => ({ [BASE]: path.join(built.out, 'site'), '/vendor/axe.min.js': AXE }),
});
const url = (p) => site.server.url(BASE + p);

const ESSAY = `${BASE}essays/why-chasing-followers/`;
const AUDIT = `${BASE}worksheets/connection-audit/`;

test('search: the guide builds with the Pagefind bundle under the base path', opts, () => {
  assert.equal(built.buildError, null);
  const bundle = path.join(built.out, 'site/pagefind');
  for (const f of ['pagefind.js', 'pagefind-worker.js', 'pagefind-entry.json']) {
    assert.ok(fs.existsSync(path.join(bundle, f)), `pagefind/${f} is written`);
  }
  const html = fs.readFileSync(path.join(built.out, 'site/index.html'), 'utf8');
  assert.match(html, /<form class="site-search" role="search"[^>]* action="\/guide\/search\/"/);
  assert.match(html, /<script src="\/guide\/search\.[0-9a-f]{8}\.js" defer><\/script>/);
});

/** A page that records every request; asserts at the end that nothing went wrong in it. */
async function withPage(fn, options = {}) {
  const page = await openPage(options.context || site.browser.context);
  page.requests = [];
  page.on('request', (r) => page.requests.push(r.url()));
  try {
    await fn(page);
    const trouble = (await page.trouble()).filter((t) => !(options.expected || []).some((re) => re.test(t)));
    assert.deepEqual(trouble, [], 'no console errors, failed requests, CSP violations or dialogs');
  } finally {
    await page.close();
  }
}

/** Types `q` into the header box (focused first) and waits for the panel to answer it. */
async function searchBox(page, q) {
  await page.locator('#site-search-q').focus();
  await page.locator('#site-search-q').fill('');
  await page.keyboard.type(q);
  await panelFor(page, q);
}

const panelFor = (page, q) =>
  page.waitForFunction(
    (text) => {
      const panel = document.querySelector('.site-search-panel');
      const status = document.querySelector('.site-search-status').textContent;
      return !panel.hidden && status.endsWith(`for \u201c${text}\u201d`);
    },
    q.trim(),
    { timeout: 15_000 },
  );

/** The panel's results: link, title, excerpt text, the marked words. */
const panelHits = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('.site-search-results > li')].map((li) => {
      const a = li.querySelector('a.site-search-hit');
      return {
        href: a.getAttribute('href'),
        title: a.textContent,
        excerpt: li.querySelector('.site-search-excerpt').textContent,
        marks: [...li.querySelectorAll('.site-search-excerpt mark')].map((m) => m.textContent),
        describedBy: document.getElementById(a.getAttribute('aria-describedby'))?.className ?? null,
        sub: li.querySelector('a.site-search-sub')?.getAttribute('href') ?? null,
      };
    }),
  );

/** The /search/ page's state once it has answered. */
const pageState = (page) =>
  page.evaluate(() => ({
    status: document.querySelector('.search-status').textContent,
    hits: [...document.querySelectorAll('.search-hit')].map((li) => ({
      href: li.querySelector('h2 a').getAttribute('href'),
      marks: li.querySelectorAll('.search-hit-excerpt mark').length,
    })),
    tags: Object.fromEntries(
      [...document.querySelectorAll('.search-tag')].map((l) => [
        l.querySelector('input').value,
        { count: Number(l.querySelector('.search-tag-count').textContent), checked: l.querySelector('input').checked, shown: !l.hidden },
      ]),
    ),
    more: !document.querySelector('.search-more').hidden,
    search: location.search,
    input: document.querySelector('#search-q').value,
  }));

const settled = (page, re) =>
  page.waitForFunction((src) => new RegExp(src).test(document.querySelector('.search-status').textContent), re.source, { timeout: 15_000 });

const focusedId = (page) =>
  page.evaluate(() => {
    const e = document.activeElement;
    return e.id || (e.tagName === 'A' ? e.getAttribute('href') : e.tagName.toLowerCase());
  });

test('search: "algorithm" in the header box finds the seed essay, the matched words marked', opts, async () => {
  await withPage(async (page) => {
    await page.goto(url('essays/'));
    await searchBox(page, 'algorithm');
    const hits = await panelHits(page);
    const essay = hits.find((h) => h.href === ESSAY);
    assert.ok(essay, `the essay is among ${JSON.stringify(hits.map((h) => h.href))}`);
    assert.ok(essay.title.startsWith('Why Chasing Followers'), essay.title);
    assert.ok(essay.marks.length > 0 && essay.marks.every((m) => /algorithm/i.test(m)), JSON.stringify(essay));
    assert.equal(essay.describedBy, 'site-search-excerpt', 'the link is described by its excerpt');
    assert.ok(hits.every((h) => h.href.startsWith(BASE)), 'result links are under the base path');
    assert.ok(hits.some((h) => h.sub), 'a section link under some results');
    for (const h of hits) if (h.sub) assert.ok(h.sub.startsWith(`${h.href}#`), `${h.sub} is a section of ${h.href}`);
    const status = await page.textContent('.site-search-status');
    assert.match(status, /^\d+ results? for “algorithm”$/);
    // Said by a live region that is there before the panel opens (outside it).
    const live = page.locator('form.site-search > [role=status]');
    assert.equal(await live.textContent(), status);
    assert.equal(await live.evaluate((e) => !e.closest('[hidden]')), true);
    const all = page.locator('.site-search-all a');
    assert.equal(await all.textContent(), 'All results for “algorithm”');
    assert.equal(await all.getAttribute('href'), `${BASE}search/?q=algorithm`);

    await searchBox(page, 'zzqxnotaword');
    assert.equal(await page.textContent('.site-search-status'), 'No results for “zzqxnotaword”');
    assert.deepEqual(await panelHits(page), []);
    assert.equal(await all.isVisible(), false, 'no "All results" link for nothing');
  });
});

test("search: a worksheet prompt's words find the worksheet", opts, async () => {
  await withPage(async (page) => {
    await page.goto(url(''));
    await searchBox(page, 'personal message that was not a reply');
    const hits = await panelHits(page);
    const audit = hits.find((h) => h.href === AUDIT);
    assert.ok(audit, `the worksheet is among ${JSON.stringify(hits.map((h) => h.href))}`);
    assert.ok(audit.marks.length > 0, JSON.stringify(audit));
  });
});

/** The tags a page lists for itself (its own HTML, not the index). */
async function ownTags(page, href) {
  const html = await page.evaluate((u) => fetch(u).then((r) => r.text()), href);
  return [...html.matchAll(/<a href="[^"]*" rel="tag"[^>]*>([^<]*)<\/a>/g)].map((m) => m[1]);
}

test('search: a tag filter on /search/ narrows the results to pages with the tag, and the link keeps it', opts, async () => {
  await withPage(async (page) => {
    await page.goto(url('search/?q=connections'));
    await settled(page, /^\d+ results? for “connections”$/);
    const before = await pageState(page);
    assert.equal(before.input, 'connections', 'the box shows the query from the address');
    const n = Number(before.status.split(' ')[0]);
    assert.ok(n >= 3, before.status);
    // A tag some but not all results carry.
    const [tag, { count }] = Object.entries(before.tags).find(([, t]) => t.count > 0 && t.count < n) || [];
    assert.ok(tag, `a tag that narrows: ${JSON.stringify(before.tags)}`);

    await page.getByRole('checkbox', { name: new RegExp(`^${tag}\\b`) }).check();
    await settled(page, new RegExp(`tagged ${tag}$`));
    const after = await pageState(page);
    assert.equal(after.status, `${count} result${count === 1 ? '' : 's'} for “connections” tagged ${tag}`);
    assert.ok(count < n);
    assert.equal(after.hits.length, Math.min(count, 10));
    for (const h of after.hits) assert.ok((await ownTags(page, h.href)).includes(tag), `${h.href} is tagged ${tag}`);
    assert.equal(after.search, `?q=connections&tag=${tag}`, 'the address keeps the filter');

    // The same link pasted: the same search, the box checked.
    await page.goto(url(`search/${after.search}`));
    await settled(page, new RegExp(`tagged ${tag}$`));
    const again = await pageState(page);
    assert.deepEqual(again.hits, after.hits);
    assert.equal(again.tags[tag].checked, true);

    // Unchecked: every result again.
    await page.getByRole('checkbox', { name: new RegExp(`^${tag}\\b`) }).uncheck();
    await settled(page, /for “connections”$/);
    assert.equal((await pageState(page)).status, before.status);
    assert.equal((await pageState(page)).search, '?q=connections');
  });
});

test('search: keyboard only: "/" and Ctrl-K focus the box, arrows, Escape, Enter', opts, async () => {
  await withPage(async (page) => {
    await page.goto(url('about/'));
    await page.keyboard.press('/');
    assert.equal(await focusedId(page), 'site-search-q', '"/" focuses the box');
    assert.equal(await page.inputValue('#site-search-q'), '', 'the "/" is not typed into it');
    await page.keyboard.type('algorithm');
    await panelFor(page, 'algorithm');
    const links = await page.evaluate(() => [...document.querySelectorAll('.site-search-panel a')].map((a) => a.getAttribute('href')));
    assert.ok(links.length >= 3, JSON.stringify(links));

    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedId(page), links[0], 'ArrowDown moves into the results');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedId(page), links[1]);
    await page.keyboard.press('ArrowUp');
    assert.equal(await focusedId(page), links[0]);
    await page.keyboard.press('ArrowUp');
    assert.equal(await focusedId(page), 'site-search-q', 'ArrowUp from the first result is back in the box');

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    assert.equal(await focusedId(page), 'site-search-q', 'Escape returns to the box');
    assert.equal(await page.isHidden('.site-search-panel'), true, 'Escape closes the panel');
    assert.equal(await page.inputValue('#site-search-q'), 'algorithm', 'and keeps the words');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.isVisible('.site-search-panel'), true, 'ArrowDown opens it again');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedId(page), links[0]);
    await Promise.all([page.waitForURL(site.server.url(links[0])), page.keyboard.press('Enter')]);

    // On the essay: Ctrl-K, then Enter in the box opens the full results page.
    await page.keyboard.press('Control+k');
    assert.equal(await focusedId(page), 'site-search-q', 'Ctrl-K focuses the box');
    await page.keyboard.type('worksheet');
    await panelFor(page, 'worksheet');
    await Promise.all([page.waitForURL(url('search/?q=worksheet')), page.keyboard.press('Enter')]);
    await settled(page, /for “worksheet”$/);

    // A click outside closes the panel.
    await page.goto(url('essays/'));
    await searchBox(page, 'algorithm');
    await page.mouse.click(5, 700); // the page's margin, beside the panel
    assert.equal(await page.isHidden('.site-search-panel'), true, 'a click outside closes the panel');

    // "/" typed in a worksheet's fields stays there.
    await page.goto(url('worksheets/your-hundred/'));
    for (const field of ['#ws-first-person', '#ws-first-names']) {
      await page.focus(field);
      await page.keyboard.type('a/b');
      assert.equal(await focusedId(page), field.slice(1));
      assert.equal(await page.inputValue(field), 'a/b');
    }
    assert.equal(await page.inputValue('#site-search-q'), '');
  });
});

async function axe(page, label) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ url: site.server.url('/vendor/axe.min.js') });
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
  test(`search: axe (${scheme}): the results panel open, and /search/ with results and a filter`, opts, async () => {
    await withPage(async (page) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(url('essays/why-chasing-followers/'));
      await searchBox(page, 'algorithm');
      await axe(page, 'panel open');
      await page.keyboard.press('ArrowDown');
      await axe(page, 'a result focused');
      await page.goto(url('search/?q=connections'));
      await settled(page, /for “connections”$/);
      await axe(page, '/search/');
      await page.locator('.search-tag input').first().check();
      await settled(page, /tagged /);
      await axe(page, '/search/ filtered');
    });
  });
}

test('search: a pasted /search/?q= link shows results; markup in q or tag is only text', opts, async () => {
  await withPage(async (page) => {
    await page.goto(url('search/?q=worksheet'));
    await settled(page, /^\d+ results? for “worksheet”$/);
    const s = await pageState(page);
    assert.ok(s.hits.length > 0 && s.hits.every((h) => h.href.startsWith(BASE)), JSON.stringify(s.hits));
    assert.ok(s.hits.some((h) => h.marks > 0), 'matched words marked');

    const evil = '<img src=x onerror=alert(1)>';
    const tagEvil = '<script>alert(2)</script>';
    const count = () => page.evaluate(() => document.querySelectorAll('img, script:not([src])').length);
    await page.goto(url(`search/?q=${encodeURIComponent(evil)}&tag=${encodeURIComponent(tagEvil)}`));
    const imgsBefore = await count();
    await settled(page, /for “/);
    const e = await pageState(page);
    assert.equal(e.input, evil);
    assert.equal(e.status, `No results for “${evil}” tagged ${tagEvil}`);
    assert.equal(await count(), imgsBefore, 'no element made from the address');

    // The same, typed into the header box.
    await page.locator('#site-search-q').focus();
    await page.keyboard.type(evil);
    await panelFor(page, evil);
    assert.match(await page.textContent('.site-search-status'), /^(No results|\d+ results?) for “/);
    assert.ok((await page.textContent('.site-search-status')).endsWith(`for “${evil}”`));
    assert.equal(await count(), imgsBefore);
    // The page's own box: the address follows it, as text.
    await page.fill('#search-q', 'a <b>bold</b> "quote"');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'a <b>bold</b> "quote"');
    await settled(page, /for “a <b>bold<\/b> "quote"”/);
    assert.equal(await page.evaluate(() => document.querySelectorAll('main b').length), 0);
  });
});

test('search: a tampered index: titles and excerpts stay text, links off the site are dropped', opts, async () => {
  const TITLE = '<img src=x onerror=alert(1)> Why';
  const WORD = 'algorithm<svg/onload=alert(2)>'; // one word, so the index's word positions hold
  const tamper = async (route) => {
    const res = await route.fetch();
    const raw = zlib.gunzipSync(await res.body()).toString('utf8');
    const f = JSON.parse(raw.slice('pagefind_dcd'.length));
    if (f.url === '/essays/why-chasing-followers/') {
      f.meta.title = TITLE;
      f.content = f.content.replace(/\balgorithm\b/g, WORD);
    } else if (f.url === '/essays/what-feeds-actually-reward/') f.url = 'https://evil.example/';
    else if (f.url === '/worksheets/todays-priority/') f.url = '//evil.example/';
    await route.fulfill({ response: res, body: zlib.gzipSync(Buffer.from('pagefind_dcd' + JSON.stringify(f))) });
  };
  await withPage(async (page) => {
    await page.route(`**${BASE}pagefind/fragment/**`, tamper);
    await page.goto(url('essays/'));
    await searchBox(page, 'algorithm');
    const hits = await panelHits(page);
    const essay = hits.find((h) => h.href === ESSAY);
    assert.ok(essay, JSON.stringify(hits));
    assert.equal(essay.title, TITLE, 'the title as text');
    assert.ok(essay.excerpt.includes(WORD), `the excerpt as text: ${essay.excerpt}`);
    assert.ok(essay.marks.length > 0);
    const hrefs = await page.evaluate(() => [...document.querySelectorAll('.site-search-panel a')].map((a) => a.getAttribute('href')));
    assert.ok(hrefs.every((h) => h.startsWith(BASE)), `only links on the site: ${hrefs}`);
    assert.equal(await page.locator('.site-search-panel :is(img, svg, script)').count(), 0);

    await page.goto(url('search/?q=algorithm'));
    await settled(page, /for “algorithm”$/);
    const s = await pageState(page);
    assert.ok(s.hits.length > 0 && s.hits.every((h) => h.href.startsWith(BASE)), JSON.stringify(s.hits));
    const links = await page.evaluate(() => [...document.querySelectorAll('.search-results a')].map((a) => a.getAttribute('href')));
    assert.ok(links.every((h) => h.startsWith(BASE)), `only links on the site: ${links}`);
    assert.equal(await page.locator('.search-results :is(img, svg, script)').count(), 0);
    assert.ok((await page.textContent('.search-results')).includes(TITLE));
  });
});

test('search: nothing of the bundle is fetched before the box is focused', opts, async () => {
  await withPage(async (page) => {
    const fetched = () => page.requests.filter((u) => u.includes(`${BASE}pagefind/`) || /search-pagefind/.test(u));
    await page.goto(url('essays/why-chasing-followers/'), { waitUntil: 'networkidle' });
    assert.ok(page.requests.some((u) => /\/search\.[0-9a-f]{8}\.js$/.test(u)), 'search.js itself is loaded');
    await page.mouse.move(400, 40);
    await page.keyboard.press('Tab');
    await page.waitForTimeout(300);
    assert.deepEqual(fetched(), [], 'nothing on load, hover or a first Tab to the skip link');
    await page.goto(url('search/'), { waitUntil: 'networkidle' });
    assert.deepEqual(fetched(), [], 'nor on /search/ without a query');

    await page.goto(url('essays/'), { waitUntil: 'networkidle' });
    await Promise.all([
      page.waitForRequest((r) => r.url() === url('pagefind/pagefind.js')),
      page.waitForRequest((r) => /\/pagefind\/wasm\.[a-z]+\.pagefind$/.test(r.url())),
      page.locator('#site-search-q').focus(),
    ]);
  });
});

test('search: "Show more" on /search/ adds the next results and moves focus to the first of them', opts, async () => {
  await withPage(async (page) => {
    // A word every page has.
    await page.goto(url('search/?q=the'));
    await settled(page, /for “the”$/);
    const s = await pageState(page);
    const n = Number(s.status.split(' ')[0]);
    assert.ok(n > 10, `more than ten results: ${s.status}`);
    assert.equal(s.hits.length, 10);
    assert.equal(s.more, true);
    await page.getByRole('button', { name: 'Show more results' }).click();
    await page.waitForFunction((k) => document.querySelectorAll('.search-hit').length === k, Math.min(n, 20));
    const after = await pageState(page);
    assert.equal(await focusedId(page), after.hits[10].href, 'focus on the first new result');
    assert.equal(after.more, n > 20);
    assert.equal(new Set(after.hits.map((h) => h.href)).size, after.hits.length, 'no result twice');
  });
});

test('search: without JavaScript the header form opens /search/, which says search needs JavaScript', opts, async () => {
  const nojs = await launch({ javaScriptEnabled: false });
  try {
    await withPage(
      async (page) => {
        await page.goto(url('essays/'));
        assert.equal(await page.isVisible('.site-search-key'), false, 'no shortcut hint without the script');
        await page.fill('#site-search-q', 'algorithm');
        await Promise.all([page.waitForURL(url('search/?q=algorithm')), page.press('#site-search-q', 'Enter')]);
        assert.match(await page.textContent('.search-note'), /Search needs JavaScript/);
        assert.equal(await page.isVisible('.search-note'), true);
        // Regression: the theme's `button { display: inline-block }` showed the hidden button.
        assert.equal(await page.isVisible('.search-more'), false, 'no "Show more" without results');
      },
      { context: nojs.context },
    );
  } finally {
    await nojs.close();
  }
});

test('search: a site without the bundle gets a quiet message, no uncaught error', opts, async () => {
  const missing = new RegExp(`${BASE}pagefind/pagefind\\.js|Failed to load resource`);
  await withPage(
    async (page) => {
      await page.route(`**${BASE}pagefind/**`, (r) => r.fulfill({ status: 404, body: 'gone' }));
      await page.goto(url('essays/'));
      await page.locator('#site-search-q').focus();
      await page.keyboard.type('algorithm');
      await page.waitForFunction(() => /not available/.test(document.querySelector('.site-search-status').textContent));
      assert.equal(await page.isVisible('.site-search-panel'), true);
      assert.deepEqual(await panelHits(page), []);
      await page.goto(url('search/?q=algorithm'));
      await settled(page, /not available/);
      const trouble = await page.trouble();
      assert.ok(trouble.every((t) => missing.test(t)), `only the missing file: ${trouble}`);
    },
    { expected: [missing] },
  );
});

test('search: every anchor the script adds has an href, before any search (Lighthouse crawlable-anchors)', opts, async () => {
  await withPage(async (page) => {
    await page.goto(url('essays/why-chasing-followers/'));
    await page.locator('.site-search-all a').waitFor({ state: 'attached' }); // added by the script
    const bare = await page.evaluate(() => [...document.querySelectorAll('a:not([href])')].map((a) => a.outerHTML));
    assert.deepEqual(bare, []);
  });
});
