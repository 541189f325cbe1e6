// Every page of the guide under the Content-Security-Policy that sheaf puts on every page by
// default (`csp:` in config.yaml; a `<meta http-equiv>` tag, since GitHub Pages sets no
// headers): scripts and styles only from the site. Nothing is injected: the test reads the
// policy each page of `sheaf build` of this repository's own site carries, served under /sheaf/.
//  - every HTML file (pages, sections, tags, worksheets, result pages, aliases, 404) loads
//    with no CSP violation (`securitypolicyviolation`), console error, page error, failed
//    request or dialog;
//  - every worksheet of the guide works fully under it: answered, autosaved over a reload,
//    its share link copied and opened in a fresh profile with the answers restored, and
//    each of its result pages opened.
// (built.test.mjs does the same for the worksheet test site with the policy as a header.)
// The binary is $SHEAF_BIN, else target/release/sheaf (scripts/browser-tests builds it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { AXE, REPO, buildForTests, openPage, serveBuilt, shareRoundTrip } from './lib/harness.mjs';

const BASE = '/sheaf/';
// config::default_policy(true): the default policy with search on (the guide's case), as the
// build writes it. `'wasm-unsafe-eval'` lets Pagefind compile its WebAssembly, nothing more.
const POLICY =
  "default-src 'self'; img-src 'self' https: data:; media-src 'self' https:; frame-src https:; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'; script-src 'self' 'wasm-unsafe-eval'";

const { out, skip, buildError } = buildForTests(REPO, BASE, 'sheaf-csp-');
/** Site-relative paths of every HTML file, e.g. `essays/x/index.html`. */
const htmlFiles = out && !buildError ? inject(path.join(out, 'site')) : [];
/** The pages a reader stays on: not the redirect pages (aliases, every list's `page/1/`),
 * which carry the policy too (checked above) but leave at once for their target. */
const shownFiles = htmlFiles.filter(
  (f) => !/<meta http-equiv="refresh"/.test(fs.readFileSync(path.join(out, 'site', f), 'utf8')),
);
const opts = { skip: skip || (buildError ? 'the build failed (see the test above)' : false) };

/** Every HTML file's path; each must carry the policy before anything it loads. */
function inject(root) {
  const files = fs
    .readdirSync(root, { recursive: true })
    .filter((f) => f.endsWith('.html'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
  for (const f of files) {
    const html = fs.readFileSync(path.join(root, f), 'utf8');
    const at = html.search(/<meta http-equiv="Content-Security-Policy"/);
    if (at < 0) throw new Error(`${f}: no Content-Security-Policy meta tag`);
    const first = html.search(/<(script|link)\b/i);
    if (first >= 0 && first < at) throw new Error(`${f}: the policy comes after something that loads`);
  }
  return files;
}

/** The URL path a file is served at (`a/index.html` as `a/`). */
const urlPath = (f) => BASE + f.replace(/(^|\/)index\.html$/, '$1');

const site = serveBuilt({
  out,
  skip: opts.skip,
  mounts: () => ({ [BASE]: path.join(out, 'site'), '/vendor/axe.min.js': AXE }),
  ready: ({ browser, server }) =>
    browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin }),
});

test('csp: sheaf build succeeds on the guide', { skip }, () => {
  assert.equal(buildError, null);
});

test('csp: every page of the guide loads under its default policy without a violation or error', opts, async () => {
  // Enough pages to mean "every": a guide with essays, worksheets, result pages and tags.
  const kinds = {
    worksheets: htmlFiles.filter((f) => /^worksheets\/[^/]+\/index\.html$/.test(f)),
    results: htmlFiles.filter((f) => /\/result\/[^/]+\/index\.html$/.test(f)),
    tags: htmlFiles.filter((f) => f.startsWith('tags/')),
  };
  for (const [kind, files] of Object.entries(kinds)) assert.ok(files.length > 0, `no ${kind} pages among ${htmlFiles}`);
  assert.ok(htmlFiles.includes('404.html'));
  const seen = [];
  assert.ok(shownFiles.length < htmlFiles.length, 'the guide has redirect pages (page/1/)');
  const page = await openPage(site.browser.context);
  try {
    for (const f of shownFiles) {
      const url = site.server.url(urlPath(f));
      await page.goto(url, { waitUntil: 'load' });
      // The policy is in force: the page's own document says so.
      const policy = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content);
      assert.equal(policy, POLICY, `${f} carries the default policy`);
      const trouble = await page.trouble();
      assert.deepEqual(trouble, [], `${f}: no CSP violations, console errors, page errors, failed requests or dialogs`);
      seen.push(f);
    }
    // A redirect page leads to a page of the site (its absolute URL, on example.org, which
    // this offline browser cannot load: the target is checked among the built files).
    for (const f of htmlFiles.filter((f) => !shownFiles.includes(f))) {
      const html = fs.readFileSync(path.join(out, 'site', f), 'utf8');
      const target = html.match(/<meta http-equiv="refresh" content="0; url=https:\/\/example\.org([^"]*)">/)?.[1];
      assert.ok(target && shownFiles.some((g) => urlPath(g) === target), `${f} leads to a page of the site: ${target}`);
      seen.push(f);
    }
  } finally {
    await page.close();
  }
  assert.equal(seen.length, htmlFiles.length);
});

test('csp: the policy is enforced on these pages (an inline script is blocked and reported)', opts, async () => {
  // A control: the same check fails when a page breaks the policy, so a clean run means it held.
  // The home page as built, with an inline script added at the end of its body.
  const file = path.join(out, 'site', 'csp-control.html');
  const home = fs.readFileSync(path.join(out, 'site', 'index.html'), 'utf8');
  fs.writeFileSync(file, home.replace(/<title>[^<]*<\/title>/, '<title>x</title>').replace('</body>', "<script>document.title = 'ran'</script></body>"));
  const page = await openPage(site.browser.context);
  try {
    await page.goto(site.server.url(BASE + 'csp-control.html'), { waitUntil: 'load' });
    assert.equal(await page.title(), 'x', 'the inline script did not run');
    const trouble = await page.trouble();
    assert.ok(trouble.some((t) => t.startsWith('csp: script-src')), JSON.stringify(trouble));
  } finally {
    await page.close();
    fs.rmSync(file);
  }
});

test('csp: every worksheet of the guide works under the policy: fill, reload, share link, restore, results', opts, async () => {
  const worksheets = htmlFiles.filter((f) => /^worksheets\/[^/]+\/index\.html$/.test(f));
  assert.ok(worksheets.length >= 2, `${worksheets}`);
  for (const f of worksheets) {
    const page = await openPage(site.browser.context);
    try {
      await page.goto(site.server.url(BASE));
      await page.evaluate(() => localStorage.clear());
      const link = await shareRoundTrip(page, site.server.url(urlPath(f)));
      // The shared link opened here too (the reader's own answers are kept aside).
      await page.goto(link, { waitUntil: 'load' });
      await page.waitForSelector('.ws-banner:not([hidden])');
      const results = await page.evaluate(() =>
        JSON.parse(document.getElementById('ws-definition').textContent).results.map((r) => r.url),
      );
      assert.ok(results.length > 0, `${f} has result pages`);
      for (const u of results) {
        await page.goto(site.server.url(u), { waitUntil: 'load' });
        assert.match(await page.title(), /\S/, `${u} has a title`);
      }
      assert.deepEqual(await page.trouble(), [], `${f}: no CSP violations, console errors, page errors or dialogs`);
    } finally {
      await page.close();
    }
  }
});

// axe-core on every page of the guide as built, in both colour schemes (axe is served from
// the same origin, so it loads under each page's own policy). Any serious or critical
// violation fails: highlighted code included (syntax.css raises every colour to 4.5:1) and
// wide tables (they take focus, so a keyboard can scroll them).
const axeRuns = {};
/** Runs axe over every page once per scheme; both tests of a scheme share the run. */
function axeEveryPage(scheme) {
  axeRuns[scheme] ??= axeEveryPageNow(scheme);
  return axeRuns[scheme];
}

async function axeEveryPageNow(scheme) {
  const page = await openPage(site.browser.context);
  const found = [];
  try {
    await page.emulateMedia({ colorScheme: scheme });
    for (const f of shownFiles) {
      await page.goto(site.server.url(urlPath(f)), { waitUntil: 'load' });
      await page.addScriptTag({ url: '/vendor/axe.min.js' });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
          resultTypes: ['violations'],
        });
        return r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) }));
      });
      for (const v of violations) found.push({ file: f, ...v });
    }
  } finally {
    await page.close();
  }
  const line = (v) => `${v.file}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`;
  return found.map(line);
}

for (const scheme of ['light', 'dark']) {
  test(`csp: axe finds nothing serious on any page of the guide (${scheme})`, opts, async () => {
    assert.deepEqual(await axeEveryPage(scheme), [], `serious/critical axe violations (${scheme})`);
  });
}
