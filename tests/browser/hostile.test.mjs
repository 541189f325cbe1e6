// Hostile share links (DESIGN.md section 6: "The fragment is hostile input"). Cases that carry
// markup or script are run twice: on the fixture with its CSP and on a copy without it
// (/nocsp/...), so that "no script runs" is shown for the script itself and not only for the
// CSP in front of it; the others (sizes, encodings, types) run on the page with its CSP. Each
// run checks: no uncaught error, no console error, no CSP violation, no dialog, no element added
// to the page, no prototype pollution, a message, and a blank (or partly restored) worksheet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { BLANK_TOP, b64url, encodeFragment, gotoWorksheet, readAnswers, readUi, session } from './lib/harness.mjs';

const s = session();
const ID = 'todays-priority';
const HASH = 'h7f3a91c2';
const ok = (a, extra = {}) => ({ w: ID, v: 2, r: HASH, a, ...extra });
const REFUSED = ' Nothing was restored, so the worksheet is blank.';
const DAMAGED = 'This share link is damaged and could not be read.' + REFUSED;
const TOO_LONG = 'This share link is too long to read.' + REFUSED;
const NONE_FIT = 'None of the answers in this share link fit this worksheet.' + REFUSED;

const XSS = [
  '<img src=x onerror="window.__pwned=1;alert(1)">',
  '<script>window.__pwned=2</script>',
  '<svg onload="window.__pwned=3">',
  '"><iframe src="javascript:alert(4)"></iframe>',
  "javascript:alert(5)//'\"`${alert(6)}",
  '{{7*7}}<style>*{display:none}</style>',
];

/** What a page looks like, for comparing against a clean load of the same page. */
function snapshot(page) {
  return page.evaluate(() => ({
    elements: document.getElementsByTagName('*').length,
    tags: [...document.getElementsByTagName('*')].map((e) => e.tagName).join(','),
    dangerous: document.querySelectorAll('img, svg, iframe, style, object, embed, b, i').length,
    markup: /onerror|onload|__pwned|javascript:|<script>window/.test(document.documentElement.outerHTML),
    pwned: window.__pwned,
    polluted: [({}).polluted, [].polluted, Object.prototype.polluted, Object.polluted, Function.prototype.polluted],
    hasOwnWorks: typeof ({}).hasOwnProperty === 'function' && typeof ({}).toString === 'function',
  }));
}

// A clean load of each variant, taken once, to compare hostile loads against.
const baselines = new Map();
async function baseline(variant) {
  if (!baselines.has(variant)) {
    await s.withPage(async (page) => {
      await gotoWorksheet(page, s.url(variant + '/top.html'));
      baselines.set(variant, await snapshot(page));
    });
  }
  return baselines.get(variant);
}

/**
 * Open `/top.html` + fragment (on each of `variants`); `check(page, ui, answers)` asserts the
 * outcome. Timing is bounded: a hostile link must be handled within 5 s.
 */
const BOTH = ['', '/nocsp'];
async function hostile(fragment, check, variants = ['']) {
  for (const variant of variants) {
    const before = await baseline(variant);
    await s.withPage(async (page) => {
      const t0 = Date.now();
      await gotoWorksheet(page, s.url(variant + '/top.html') + fragment);
      assert.ok(Date.now() - t0 < 5000, `handled in ${Date.now() - t0} ms`);
      await page.waitForTimeout(50); // let any injected handler fire, if one had been injected
      const after = await snapshot(page);
      assert.equal(after.pwned, undefined, 'no injected code ran');
      assert.deepEqual(after.polluted, [undefined, undefined, undefined, undefined, undefined], 'no prototype pollution');
      assert.equal(after.hasOwnWorks, true);
      assert.equal(after.dangerous, 0, 'no element injected');
      assert.equal(after.markup, false, 'no attacker markup in the DOM');
      assert.equal(after.elements, before.elements, 'no element added');
      assert.equal(after.tags, before.tags);
      const ui = await readUi(page);
      assert.ok(ui.message || ui.banner, 'the reader is told something');
      for (const text of [ui.message, ui.banner, ui.status]) assert.ok(!text || !/[<>]/.test(text), `no markup in ${text}`);
      await check(page, ui, await readAnswers(page));
    });
  }
}

const refusedWith = (message) => async (page, ui, answers) => {
  assert.equal(ui.message, message);
  assert.equal(ui.banner, null);
  assert.deepEqual(ui.result, []);
  assert.deepEqual(answers, BLANK_TOP, 'blank worksheet');
};

test('hostile: script and HTML in every string field are only ever values', async () => {
  const payload = ok(
    {
      headline: XSS[0],
      notes: XSS.join('\n'),
      'last-message': XSS[1],
      'reach-time': XSS[2],
      channels: [XSS[3], 'events'],
      habits: XSS.slice(0, 4),
      priorities: [XSS[4], 'algo'],
      quiz: XSS[5],
      contacts: XSS[0],
      [XSS[0]]: XSS[1],
    },
    { r: XSS[0] },
  );
  await hostile(encodeFragment(payload), async (page, ui, a) => {
    assert.equal(a.headline, XSS[0], 'the text appears as the value');
    assert.equal(a.notes, XSS.join('\n'));
    assert.deepEqual(a.channels, ['events']);
    assert.deepEqual(a.priorities, ['algo', 'dm', 'net']);
    assert.equal(a['last-message'], null);
    assert.equal(a.quiz, null);
    assert.equal(a.contacts, '');
    // 10 given; headline, notes, and channels and priorities in part, restored.
    assert.equal(
      ui.banner,
      'Viewing shared answers. 6 of 10 answers could not be restored, 2 only in part: the worksheet has changed since the link was made.',
    );
    // The only places the strings went are input values.
    const where = await page.evaluate(
      (x) => [...document.querySelectorAll('*')].filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.data.includes(x))).length,
      'onerror',
    );
    assert.equal(where, 0, 'never in a text node either');
  }, BOTH);
});

test('hostile: script and HTML in w, v and r', async () => {
  await hostile(encodeFragment({ w: XSS[0], v: 2, r: HASH, a: { headline: 'x' } }), refusedWith('This share link is for a different worksheet.' + REFUSED), BOTH);
  await hostile(encodeFragment({ w: ID, v: XSS[1], r: HASH, a: { headline: 'x' } }), refusedWith(DAMAGED), BOTH);
});

test('hostile: __proto__, constructor and prototype keys pollute nothing', async () => {
  const json =
    '{"w":"todays-priority","v":2,"r":"h7f3a91c2",' +
    '"__proto__":{"polluted":"top","w":"other"},' +
    '"constructor":{"prototype":{"polluted":"ctor"}},' +
    '"a":{"__proto__":{"polluted":"a","headline":"from the prototype"},' +
    '"constructor":{"prototype":{"polluted":"a-ctor"}},"prototype":{"polluted":"p"},' +
    '"toString":"x","hasOwnProperty":"x","valueOf":{"polluted":1},"headline":"own value"}}';
  await hostile(
    encodeFragment(json),
    async (page, ui, a) => {
      assert.equal(a.headline, 'own value');
      assert.equal(ui.banner, 'Viewing shared answers. 6 of 7 answers could not be restored.');
    },
    BOTH,
  );
  // `a` with nothing but __proto__: the answers are not read through the prototype.
  await hostile(
    encodeFragment('{"w":"todays-priority","v":2,"r":"h7f3a91c2","a":{"__proto__":{"headline":"x","polluted":1}}}', 'z'),
    refusedWith(NONE_FIT),
  );
});

test('hostile: unknown question and option ids', async () => {
  await hostile(
    encodeFragment(ok({ nope: 'x', 'LAST-MESSAGE': 'today', 'q-last-message': 'today', 'last-message ': 'today', 'ws-headline': 'x', quiz: 'NOTE', channels: ['Email', 'e-mail'], priorities: ['messages'] })),
    refusedWith(NONE_FIT),
  );
});

test('hostile: a share:false answer in a link is ignored', async () => {
  await hostile(encodeFragment(ok({ 'two-people': 'planted', headline: 'h' })), async (page, ui, a) => {
    assert.equal(a['two-people'], '', 'share:false questions are never filled from a link');
    assert.equal(a.headline, 'h');
    assert.equal(ui.banner, 'Viewing shared answers. 1 of 2 answers could not be restored.');
  });
});

test('hostile: wrong types for answers and for the payload itself', async () => {
  await hostile(
    encodeFragment(
      ok({
        'last-message': 1,
        'reach-time': '3',
        channels: 'events',
        habits: { comment: true },
        contacts: '4',
        headline: ['a'],
        notes: { toString: 'x' },
        priorities: 'dm',
        quiz: true,
        'two-people': null,
      }),
    ),
    refusedWith(NONE_FIT),
  );
  for (const json of ['[1,2,3]', '"string"', 'null', '42', 'true', '{"w":["todays-priority"],"v":2,"a":{"headline":"x"}}', '{"w":"todays-priority","v":"2","a":{"headline":"x"}}']) {
    const why = json.startsWith('{"w":[') ? 'This share link is for a different worksheet.' + REFUSED : DAMAGED;
    await hostile(encodeFragment(json), refusedWith(why));
  }
  await hostile(encodeFragment(ok('not an object')), refusedWith(NONE_FIT));
  await hostile(encodeFragment(ok([['headline', 'x']])), refusedWith(NONE_FIT));
});

test('hostile: numbers out of range, non-finite or not on the scale', async () => {
  await hostile(encodeFragment(ok({ 'reach-time': 9, contacts: 51 })), refusedWith(NONE_FIT));
  await hostile(encodeFragment(ok({ 'reach-time': 0, contacts: -1 })), refusedWith(NONE_FIT));
  await hostile(encodeFragment(ok({ 'reach-time': 2.5 })), refusedWith(NONE_FIT));
  await hostile(encodeFragment('{"w":"todays-priority","v":2,"r":"h7f3a91c2","a":{"contacts":1e999,"reach-time":-1e999}}'), refusedWith(NONE_FIT));
  await hostile(encodeFragment('{"w":"todays-priority","v":1e999,"r":"h7f3a91c2","a":{"contacts":1}}'), refusedWith(DAMAGED));
  // In range next to out of range: the valid part is restored.
  await hostile(encodeFragment(ok({ 'reach-time': 4, contacts: 5000 })), async (page, ui, a) => {
    assert.equal(a['reach-time'], '4');
    assert.equal(a.contacts, '');
    assert.equal(ui.banner, 'Viewing shared answers. 1 of 2 answers could not be restored.');
  });
});

test('#13.14: hostile: a number off its step (or one the field would not accept) is not restored', async () => {
  // contacts: min 0, max 50, step 1, as in the field's attributes and the definition.
  await hostile(encodeFragment(ok({ contacts: 2.5 })), refusedWith(NONE_FIT));
  await hostile(encodeFragment(ok({ contacts: 49.5 })), refusedWith(NONE_FIT));
  await hostile(encodeFragment(ok({ contacts: 2.5, 'reach-time': 4 })), async (page, ui, a) => {
    assert.equal(a.contacts, '');
    assert.equal(a['reach-time'], '4');
    assert.equal(ui.banner, 'Viewing shared answers. 1 of 2 answers could not be restored.');
  });
  await hostile(encodeFragment(ok({ contacts: 50 })), async (page, ui, a) => {
    assert.equal(a.contacts, '50', 'on the step and at the maximum: restored');
    assert.equal(ui.banner, 'Viewing shared answers.');
  });
});

test('hostile: overlong strings are refused, not truncated into the page', async () => {
  await hostile(encodeFragment(ok({ headline: 'x'.repeat(81) })), refusedWith(NONE_FIT));
  await hostile(encodeFragment(ok({ notes: 'y'.repeat(2001) }), 'z'), refusedWith(NONE_FIT));
  await hostile(encodeFragment(ok({ headline: 'x'.repeat(80) })), async (page, ui, a) => {
    assert.equal(a.headline, 'x'.repeat(80), 'exactly max_length is fine');
    assert.equal(ui.banner, 'Viewing shared answers.');
  });
});

test('hostile: overlong arrays and duplicate options', async () => {
  await hostile(encodeFragment(ok({ channels: ['email', 'email', 'email', 'email', 'email'], habits: ['comment', 'comment'], priorities: ['net', 'net', 'net'] })), async (page, ui, a) => {
    assert.deepEqual(a.channels, [], 'longer than the option list: refused');
    assert.deepEqual(a.habits, ['comment']);
    assert.deepEqual(a.priorities, ['net', 'dm', 'algo']);
    assert.equal(ui.banner, 'Viewing shared answers. 1 of 3 answers could not be restored, 2 only in part.');
  });
  // multi max 2: a third choice is not restored.
  await hostile(encodeFragment(ok({ channels: ['email', 'dms', 'events'] })), async (page, ui, a) => {
    assert.deepEqual(a.channels, ['email', 'dms']);
    assert.equal(ui.banner, 'Viewing shared answers. 1 of 1 answer could only be restored in part.');
    assert.equal(await page.isDisabled('#ws-channels-events'), true);
  });
});

test('hostile: invalid base64, unknown codec, empty data, invalid UTF-8', async () => {
  for (const frag of [
    '#ws1.j.!!!!',
    '#ws1.j.A',
    '#ws1.j.abc$def',
    '#ws1.j.' + b64url('{"w":"todays-priority"') + '%00',
    '#ws1.j.',
    '#ws1.x.' + b64url(JSON.stringify(ok({ headline: 'x' }))),
    '#ws1.J.' + b64url(JSON.stringify(ok({ headline: 'x' }))),
    '#ws1.j.' + Buffer.from(JSON.stringify(ok({ headline: 'x?>' }))).toString('base64'), // '/' and '=' are not base64url
    '#ws1.j.' + b64url(Buffer.from([0xff, 0xfe, 0x7b, 0x7d])),
    '#ws1.z.' + b64url(Buffer.from('not deflate data at all, just text')),
    '#ws1.j.' + b64url(JSON.stringify(ok({ headline: 'x' }))) + '.extra',
  ]) {
    await hostile(frag, refusedWith(DAMAGED));
  }
});

test('hostile: truncated data (JSON and deflate)', async () => {
  const json = JSON.stringify(ok({ headline: 'truncated', notes: 'n'.repeat(200) }));
  const j = b64url(json);
  const z = b64url(zlib.deflateRawSync(Buffer.from(json)));
  await hostile('#ws1.j.' + j.slice(0, Math.floor(j.length / 2)), refusedWith(DAMAGED));
  await hostile('#ws1.z.' + z.slice(0, Math.floor(z.length / 2)), refusedWith(DAMAGED));
  await hostile('#ws1.z.' + z.slice(0, z.length - 3), refusedWith(DAMAGED));
});

test('hostile: deflate bombs stop at 32 KB decompressed', async () => {
  // 10 MB of zeros: already too long as a fragment.
  const zeros = zlib.deflateRawSync(Buffer.alloc(10 * 1024 * 1024), { level: 9 });
  await hostile('#ws1.z.' + b64url(zeros), refusedWith(TOO_LONG));
  // Under the fragment cap, and perfectly valid JSON once fully inflated (4 MB of spaces): must
  // be refused by the running cap while reading the stream.
  const json = JSON.stringify(ok({ headline: 'bomb' })).slice(0, -1) + ' '.repeat(4 * 1024 * 1024) + '}';
  const bomb = b64url(zlib.deflateRawSync(Buffer.from(json), { level: 9 }));
  assert.ok(bomb.length < 8000, `bomb fragment is ${bomb.length} characters`);
  await hostile('#ws1.z.' + bomb, refusedWith(TOO_LONG));
  // Just over the cap, to pin the limit: 32 KB + 1 of valid JSON.
  const edge = JSON.stringify(ok({ headline: 'edge' }));
  await hostile(encodeFragment(edge.slice(0, -1) + ' '.repeat(32768 - edge.length + 1) + '}', 'z'), refusedWith(TOO_LONG));
  await hostile(encodeFragment(edge.slice(0, -1) + ' '.repeat(32768 - edge.length) + '}', 'z'), async (page, ui, a) => {
    assert.equal(a.headline, 'edge', 'exactly 32 KB is read');
  });
});

test('hostile: a deflate bomb is read lazily: decoding stops after a little of its input', async () => {
  const json = JSON.stringify(ok({ headline: 'bomb' })).slice(0, -1) + ' '.repeat(5.5 * 1024 * 1024) + '}';
  const compressed = zlib.deflateRawSync(Buffer.from(json), { level: 9 });
  assert.ok(compressed.length > 5000 && compressed.length < 6100, `${compressed.length} compressed bytes`);
  await s.withPage(
    async (page) => {
      await gotoWorksheet(page, s.url('/top.html') + '#ws1.z.' + b64url(compressed));
      assert.equal((await readUi(page)).message, TOO_LONG);
      const fed = await page.evaluate(() => window.__inflateIn);
      assert.ok(fed > 0 && fed <= 1024, `fed ${fed} of ${compressed.length} compressed bytes to the decompressor`);
    },
    { countInflate: true },
  );
});

test('hostile: a 100 KB fragment', async () => {
  await hostile('#ws1.j.' + 'A'.repeat(100 * 1024), refusedWith(TOO_LONG));
  await hostile('#ws1.z.' + b64url(Buffer.alloc(6200, 7)), refusedWith(TOO_LONG)); // 8,267 characters
});

test('hostile: a link arriving by same-document navigation (hashchange) gets the same treatment', async () => {
  await s.withPage(async (page) => {
    await gotoWorksheet(page, s.url('/nocsp/top.html'));
    await page.evaluate((f) => {
      location.hash = f;
    }, encodeFragment(ok({ headline: XSS[0], nope: 1 })));
    await page.waitForFunction(() => !document.querySelector('.ws-banner').hidden);
    assert.equal((await readAnswers(page)).headline, XSS[0]);
    await page.evaluate(() => {
      location.hash = '#ws1.z.' + 'A'.repeat(9000);
    });
    await page.waitForFunction(() => !document.querySelector('.ws-message').hidden);
    assert.equal((await readUi(page)).message, TOO_LONG);
    assert.deepEqual(await readAnswers(page), BLANK_TOP);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  });
});
