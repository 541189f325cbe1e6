// Checks of the theme's scripts and the worksheet CSS: the gzip budget of the worksheet
// scripts as readers download them (worksheet.js with the compare view, plus workbook.js: a
// reader of the guide loads both), minified by `sheaf build` (src/render/minify.rs); and no
// API that parses HTML or evaluates code in any theme script (DESIGN.md section 6).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { REPO, STATIC, buildForTests } from './lib/harness.mjs';

const CSS = fs.readFileSync(path.join(STATIC, 'style.css'), 'utf8');
const BUDGET = 10240;
// The budgeted scripts (workbook.js comes with the /workbook/ page).
const BUDGETED = ['worksheet.js', 'workbook.js'];
// Every script of the theme, for the ban list.
const SCRIPTS = fs.readdirSync(STATIC).filter((f) => f.endsWith('.js')).sort();
const gz = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;

const built = buildForTests(REPO, '/guide/', 'sheaf-budget-');
test(`worksheet.js plus workbook.js, as built, are at most ${BUDGET} bytes gzipped (gzip -9)`, { skip: built.skip }, (t) => {
  assert.equal(built.buildError, null);
  const site = path.join(built.out, 'site');
  const shipped = fs.readdirSync(site);
  let total = 0;
  try {
    for (const name of BUDGETED) {
      const [stem] = name.split('.');
      const file = shipped.find((f) => new RegExp(`^${stem}\\.[0-9a-f]{8}\\.js$`).test(f));
      assert.ok(file, `${name} is not in the built site: ${shipped}`);
      const source = fs.readFileSync(path.join(STATIC, name));
      const bytes = fs.readFileSync(path.join(site, file));
      t.diagnostic(`${name}: ${source.length} bytes as written (${gz(source)} gzipped), ${bytes.length} shipped (${gz(bytes)} gzipped)`);
      assert.ok(bytes.length < source.length, `${name} is shipped minified`);
      total += gz(bytes);
    }
  } finally {
    fs.rmSync(built.out, { recursive: true, force: true });
  }
  t.diagnostic(`total ${total} bytes gzipped (budget ${BUDGET})`);
  assert.ok(total <= BUDGET, `${total} bytes gzipped is over the ${BUDGET}-byte budget`);
});

for (const name of SCRIPTS) {
  test(`${name} never parses HTML, evaluates strings or sets inline styles`, () => {
    const src = fs
      .readFileSync(path.join(STATIC, name), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '') // comments may name the forbidden APIs
      .replace(/(^|[^:])\/\/.*$/gm, '$1');
    for (const bad of [
      /\.innerHTML\b/,
      /\.outerHTML\b/,
      /insertAdjacentHTML/,
      /document\.write/,
      /\beval\s*\(/,
      /\bnew\s+Function\b/,
      /\bFunction\s*\(/,
      /setTimeout\s*\(\s*['"`]/,
      /setInterval\s*\(\s*['"`]/,
      /createContextualFragment/,
      /DOMParser/,
      /\.srcdoc\b/,
      /\bimport\s*\(/,
      /new\s+Response\s*\(/, // reading untrusted data must keep a running byte cap
      /\.setAttribute\(\s*['"]on/,
      /\bstyle\.|\.style\b|cssText/, // CSP: no inline styles
    ]) {
      assert.doesNotMatch(src, bad, `${name} uses ${bad}`);
    }
  });
}

test('the ban list covers every theme script, including worksheet.js', () => {
  assert.ok(SCRIPTS.includes('worksheet.js') && SCRIPTS.includes('share.js'), SCRIPTS.join());
});

test('worksheet.js is one self-contained classic script (no modules, no network)', () => {
  const src = fs.readFileSync(path.join(STATIC, 'worksheet.js'), 'utf8');
  assert.doesNotMatch(src, /^\s*(import|export)\s/m);
  assert.doesNotMatch(src, /\bfetch\s*\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|https?:\/\//);
  assert.doesNotThrow(() => new Function(src), 'parses as a classic script');
});

test('style.css ends with the Worksheets part, including print rules', () => {
  const at = CSS.indexOf('/* ---------------------------------------------------------------- Worksheets */');
  assert.ok(at > 0, 'a clearly headed Worksheets part');
  const part = CSS.slice(at);
  for (const sel of ['.ws-banner', '.ws-actions', '.ws-rank-buttons', '.ws-feedback', '.ws-result', '@media print']) {
    assert.ok(part.includes(sel), `styles ${sel}`);
  }
  const print = part.slice(part.indexOf('@media print'));
  for (const sel of ['.ws-actions', '.ws-banner', '.ws-rank-buttons']) assert.ok(print.includes(sel), `print hides ${sel}`);
  // Colours come from the theme's custom properties (light/dark, AA), except print's black/white.
  const screen = part.slice(0, part.indexOf('@media print'));
  assert.doesNotMatch(screen, /#[0-9a-f]{3,8}\b|rgb\(|hsl\(/i, 'no literal colours outside print');
});

test('style.css has one compare view and result landing page section, after the Worksheets part', () => {
  const head = '/* --- compare view and result landing page --- */';
  const at = CSS.indexOf(head);
  assert.ok(at > CSS.indexOf('/* ---------------------------------------------------------------- Worksheets */'), 'after Worksheets');
  assert.equal(CSS.indexOf(head, at + 1), -1, 'only once');
  // Up to the next section another part of the theme may append.
  const next = CSS.indexOf('\n/* ---', at + head.length);
  const part = CSS.slice(at, next < 0 ? undefined : next);
  for (const sel of ['.ws-compare', '.ws-cmp-row', '.ws-locked', '.ws-banner-result', '.result-try', '.result-cards', '@media (max-width: 40rem)', '@media print']) {
    assert.ok(part.includes(sel), `styles ${sel}`);
  }
  assert.doesNotMatch(part, /#[0-9a-f]{3,8}\b|rgb\(|hsl\(/i, 'colours come from the theme variables');
});
