// sheaf's in-process search index against the reference: the Pagefind CLI (the npm package,
// the same 1.6.0 release as the crate sheaf links) run on the same built site. For 20 queries
// both indexes, loaded side by side in Chromium through Pagefind's own search API, must give
// the same top 5 pages.
//
// The site is a generated corpus of 300 essays (scripts/gen-corpus: headings, lists, tables,
// code, tags), so every page is one both indexes see alike. Worksheets are left out on
// purpose: Pagefind never reads inside <form>, so the CLI cannot index their prompts, and
// sheaf opens the form up for its own index (src/search/document.rs).
//
// The site is served at a domain's root (the guide's tests cover a base path).
//
// Pages with equal scores may come in either order (each index numbers pages in the order it
// read them), so results are compared ordered by score, then URL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { REPO, TESTS, openPage, serveBuilt } from './lib/harness.mjs';

const BIN = process.env.SHEAF_BIN || path.join(REPO, 'target/release/sheaf');
const CLI = path.join(TESTS, 'node_modules/.bin/pagefind');
const QUERIES = [
  'habit', 'garden', 'river', 'compass', 'lamp', 'patience', 'silence', 'archive',
  'notebook', 'harbour', 'quiet river', 'careful editor', 'slow journey', 'bridge tower',
  'memory attention', 'winter garden', 'ancient map', 'revise draft', 'stone glass', 'signal noise',
];

function setUp() {
  if (!fs.existsSync(BIN)) return { skip: `no sheaf binary at ${BIN}` };
  if (!fs.existsSync(CLI)) return { skip: `no Pagefind CLI at ${CLI} (run scripts/browser-tests)` };
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sheaf-search-ref-'));
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  };
  run('python3', [path.join(REPO, 'scripts/gen-corpus'), '--pages', '300', '--out', out + '/corpus', '--force']);
  run(BIN, ['build', '--quiet', '--root', out + '/corpus', '--output', out + '/site', '--base-url', 'https://example.org/']);
  run(CLI, ['--site', out + '/site', '--output-path', out + '/site/pagefind-cli', '--silent']);
  return { out, skip: false };
}

const { out, skip } = setUp();
const site = serveBuilt({ out, skip, mounts: () => ({ '/': path.join(out, 'site') }) });

test('search: the in-process index gives the reference CLI top 5 for 20 queries', { skip }, async () => {
  const page = await openPage(site.browser.context);
  await page.goto(site.server.origin + '/');
  const results = await page.evaluate(async (queries) => {
    const load = async (bundle) => {
      const pf = await import(bundle);
      await pf.init();
      return pf;
    };
    const ours = await load('/pagefind/pagefind.js');
    const cli = await load('/pagefind-cli/pagefind.js');
    const top = async (pf, q) => {
      const found = await pf.search(q);
      const first = await Promise.all(found.results.slice(0, 12).map(async (r) => ({ score: r.score, url: (await r.data()).url })));
      first.sort((a, b) => b.score - a.score || a.url.localeCompare(b.url));
      return { count: found.results.length, top: first.slice(0, 5).map((r) => r.url) };
    };
    const out = [];
    for (const q of queries) out.push({ q, ours: await top(ours, q), cli: await top(cli, q) });
    return out;
  }, QUERIES);
  for (const { q, ours, cli } of results) {
    assert.ok(ours.count > 0, `"${q}" finds nothing`);
    assert.equal(ours.count, cli.count, `"${q}": ${ours.count} results, the CLI ${cli.count}`);
    assert.deepEqual(ours.top, cli.top, `"${q}": top 5 differ`);
    assert.ok(ours.top.every((u) => /^\/[a-z]+\/page-\d{5}\/$/.test(u)), `"${q}": site URLs at the root: ${ours.top}`);
  }
});
