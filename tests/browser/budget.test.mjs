// Static checks of themes/default/static/worksheet.js and the worksheet CSS: the 8 KB gzip
// budget, and no API that parses HTML or evaluates code (DESIGN.md section 6).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { STATIC } from './lib/harness.mjs';

const JS = fs.readFileSync(path.join(STATIC, 'worksheet.js'));
const CSS = fs.readFileSync(path.join(STATIC, 'style.css'), 'utf8');
const BUDGET = 8192;

test(`worksheet.js is at most ${BUDGET} bytes gzipped (gzip -9)`, (t) => {
  const gz = zlib.gzipSync(JS, { level: 9 }).length;
  t.diagnostic(`worksheet.js: ${JS.length} bytes, ${gz} bytes gzipped (budget ${BUDGET})`);
  assert.ok(gz <= BUDGET, `${gz} bytes gzipped is over the ${BUDGET}-byte budget`);
});

test('worksheet.js never parses HTML or evaluates strings', () => {
  const src = JS.toString('utf8')
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
    assert.doesNotMatch(src, bad, `worksheet.js uses ${bad}`);
  }
});

test('worksheet.js is one self-contained classic script (no modules, no network)', () => {
  const src = JS.toString('utf8');
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
