/* sheaf worksheets (DESIGN.md section 6). A share link (#ws1.<codec>.<data>) is hostile input:
   size-capped, parsed in try/catch, rebuilt through an allowlist (clean()), and only ever
   written to the page through .value, .checked, .hidden and textContent (the compare view is
   built with createElement and textContent).
   Saved answers: localStorage[KEY] = {r: structure hash, a: {answers}, p: {done, of, result}};
   `p` (progress and result key, or null) is for the workbook page, which also imports whole
   records; records without `p` (older saves) are read the same.
   On a result page (form.ws-teaser) the script only asks the first question: Continue saves
   the answer into that record and opens the worksheet. */
(() => {
  'use strict';

  const form = document.querySelector('form.worksheet');
  const defEl = form && form.querySelector('script[type="application/json"]');
  if (!defEl) return;
  let def;
  try {
    def = JSON.parse(defEl.textContent);
  } catch {
    return;
  }
  if (!def || !Array.isArray(def.questions) || !Array.isArray(def.results)) return;

  const LINK_MAX = 2000; // characters of a share link
  const FRAG_MAX = 8192; // characters of a fragment we agree to read
  const JSON_MAX = 32768; // bytes of decoded payload
  // Saved answers are scoped to the site: on a shared origin (user.github.io) every project
  // site has its own base path, where the theme's files (this script) sit. OLD is the
  // unscoped key of earlier versions, read once (load()).
  const me = document.currentScript;
  const OLD = 'sheaf:ws:' + def.id + ':v' + def.version;
  const KEY = 'sheaf:ws:' + (me && me.src ? new URL('.', me.src).pathname : '/') + ':' + def.id + ':v' + def.version;
  const CHOICE = ['single', 'scale', 'multi', 'checklist'];
  const teaser = form.classList.contains('ws-teaser');

  const has = (o, k) => o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k);
  const $ = (sel, root = form) => root.querySelector(sel);
  const $$ = (sel, root = form) => Array.from(root.querySelectorAll(sel));
  const flat = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : '');
  const text = (el, s) => {
    if (el && el.textContent !== s) el.textContent = s;
  };

  const banner = $('.ws-banner');
  const bannerText = $('.ws-banner-text');
  const bannerInitial = flat(bannerText) || 'Viewing shared answers.';
  const msg = $('.ws-message');
  const status = $('.ws-status');
  const statusInitial = status ? status.textContent : '';
  const actions = $('.ws-actions');
  let shared = false; // showing (or loading) a link's answers: do not autosave
  let gen = 0; // bumped by each link opened and by leaving one: a slower, older load gives up
  let win = null; // the result shown
  let theirs = new Map(); // the link's answers, while shared

  // Questions: each definition entry joined with its fieldset.
  const fieldsets = new Map($$('fieldset.ws-q').map((el) => [el.dataset.q, el]));
  const Qs = [];
  for (const d of def.questions) {
    // A teaser shows one question but saves and scores against all of them: the others get an
    // empty stand-in, so they are judged by their definition alone.
    const el = d && (fieldsets.get(d.id) || (teaser && document.createElement('fieldset')));
    if (!el) continue;
    const options = Array.isArray(d.options) ? d.options : [];
    const q = {
      d,
      el,
      type: d.type,
      share: d.share !== false && el.dataset.share !== 'false', // either one keeps it private
      opts: new Map(options.map((o) => [o.id, o])),
      scored: d.score != null || options.some((o) => o.score != null),
      // A scored question the result waits for. Not a checklist or a multi without a minimum
      // (nothing ticked is an answer) nor a rank (its first order is one).
      needed: d.type !== 'rank' && d.type !== 'checklist' && !(d.type === 'multi' && !(d.min > 0)),
      inputs: $$('input, textarea', el),
      ol: $('.ws-rank', el),
      fb: $('.ws-feedback', el),
      hint: $('.ws-hint', el),
      ranked: false, // a rank question counts as answered once reordered
    };
    q.hintText = q.hint ? q.hint.textContent : '';
    q.order0 = options.map((o) => o.id); // the page lists options in definition order
    Qs.push(q);
  }

  function items(q) {
    return $$(':scope > li', q.ol);
  }

  // --- answers: DOM <-> Map(question id -> value) ---
  function get(q) {
    const t = q.type;
    if (t === 'rank') return q.ranked ? items(q).map((li) => li.dataset.option) : undefined;
    if (t === 'single' || t === 'scale') {
      const c = q.inputs.find((i) => i.checked);
      return c ? (t === 'scale' ? Number(c.value) : c.value) : undefined;
    }
    if (t === 'multi' || t === 'checklist') {
      const v = q.inputs.filter((i) => i.checked).map((i) => i.value);
      return v.length ? v : undefined;
    }
    const el = q.inputs[0];
    if (!el || el.value === '') return undefined;
    if (t === 'number') return el.validity.valid && Number.isFinite(el.valueAsNumber) ? el.valueAsNumber : undefined;
    return el.value;
  }

  // In definition order; `all` includes share:false answers (for local storage only).
  function collect(all) {
    const m = new Map();
    for (const q of Qs) {
      const v = all || q.share ? get(q) : undefined;
      if (v !== undefined) m.set(q.d.id, v);
    }
    return m;
  }

  function set(q, v) {
    if (q.type === 'rank') {
      if (!q.ol) return;
      const lis = new Map(items(q).map((li) => [li.dataset.option, li]));
      for (const id of v || q.order0) if (lis.has(id)) q.ol.append(lis.get(id));
      q.ranked = v !== undefined;
      rankButtons(q);
    } else if (CHOICE.includes(q.type)) {
      const vals = v === undefined ? [] : [].concat(v).map(String);
      for (const i of q.inputs) i.checked = vals.includes(i.value);
    } else if (q.inputs[0]) {
      q.inputs[0].value = v === undefined ? '' : String(v);
    }
  }

  function apply(answers) {
    for (const q of Qs) set(q, answers.get(q.d.id));
  }

  // Untrusted answers (link or storage) through an allowlist from the definition: known ids,
  // numbers in range, strings within max_length, arrays bounded and without duplicates.
  function clean(a, all) {
    const out = new Map();
    let given = 0;
    let partial = 0;
    if (a !== null && typeof a === 'object' && !Array.isArray(a)) {
      given = Object.keys(a).length;
      for (const q of Qs) {
        if (!(all || q.share) || !has(a, q.d.id)) continue;
        const r = cleanOne(q, a[q.d.id]);
        if (!r) continue;
        out.set(q.d.id, r[0]);
        if (r[1]) partial++;
      }
    }
    return { out, given, dropped: given - out.size, partial };
  }

  function cleanOne(q, v) {
    const d = q.d;
    const t = q.type;
    if (t === 'single') return typeof v === 'string' && q.opts.has(v) ? [v] : null;
    if (t === 'scale') return Number.isInteger(v) && v >= d.min && v <= d.max ? [v] : null;
    if (t === 'number') {
      // A field like the page's judges, as it does what the reader types: min, max and step.
      if (typeof v !== 'number') return null;
      const c = document.createElement('input');
      c.type = 'number';
      for (const k of ['min', 'max', 'step']) if (d[k] != null) c.setAttribute(k, d[k]);
      c.value = v;
      return c.valueAsNumber === v && c.validity.valid ? [v] : null;
    }
    if (t === 'text' || t === 'textarea') {
      return typeof v === 'string' && v !== '' && v.length <= (d.max_length ?? JSON_MAX) ? [v] : null;
    }
    if (!['multi', 'checklist', 'rank'].includes(t) || !Array.isArray(v) || v.length > q.opts.size) return null;
    const seen = new Set();
    for (const id of v) if (typeof id === 'string' && q.opts.has(id)) seen.add(id);
    let ids = [...seen];
    if (t === 'multi' && d.max > 0) ids = ids.slice(0, d.max);
    if (!ids.length) return null;
    const partial = ids.length < v.length;
    if (t === 'rank') for (const id of q.order0) if (!seen.has(id)) ids.push(id);
    return [ids, partial];
  }

  // --- scoring ---
  function addScore(acc, s, k) {
    if (typeof s === 'number') acc.total += s * k;
    else if (s && typeof s === 'object') {
      for (const [dim, w] of Object.entries(s)) {
        if (typeof w !== 'number') continue;
        acc.total += w * k;
        if (acc.dims.has(dim)) acc.dims.set(dim, acc.dims.get(dim) + w * k);
      }
    }
  }

  function result(answers) {
    const acc = { total: 0, dims: new Map(def.results.map((r) => [r.key, 0])) };
    let answered = 0;
    let missing = 0;
    for (const q of Qs) {
      if (!q.scored) continue;
      const v = answers.get(q.d.id);
      if (v === undefined) {
        if (q.needed) missing++;
        continue;
      }
      answered++;
      const score = (id) => (q.opts.get(id) || {}).score;
      if (q.type === 'scale' || q.type === 'number') addScore(acc, q.d.score, v);
      else if (q.type === 'rank') v.forEach((id, i) => addScore(acc, score(id), v.length - i));
      else for (const id of [].concat(v)) addScore(acc, score(id), 1);
    }
    const rs = def.results;
    let best = null;
    // No verdict on part of the evidence: the result waits for every question that decides it.
    if (!answered || missing) return { missing, best };
    if (def.by === 'bands') {
      const total = Math.round(acc.total * 1e9) / 1e9;
      const inBand = (r) => !(total < (r.min ?? -Infinity)) && !(total > (r.max ?? Infinity));
      best = rs.find(inBand) || rs.find((r) => total <= (r.max ?? Infinity)) || rs[rs.length - 1];
    } else {
      for (const r of rs) if (!best || acc.dims.get(r.key) > acc.dims.get(best.key)) best = r; // ties: first
    }
    return { missing, best };
  }

  // --- showing state ---
  function say(s) {
    text(msg, s);
    if (msg) msg.hidden = !s;
  }

  const announcer = document.createElement('p'); // where rank moves are announced
  announcer.className = 'visually-hidden';
  announcer.setAttribute('aria-live', 'polite');
  form.append(announcer);

  function update(save) {
    const answers = collect(true);
    const r = result(answers);
    win = r.best;
    for (const el of $$('.ws-result-item')) {
      const hide = !win || el.dataset.result !== win.key;
      if (el.hidden !== hide) el.hidden = hide;
    }
    // Counted over every question on the page, as the reader sees them.
    const done = Qs.filter((q) => answers.has(q.d.id)).length;
    text(status, !done ? statusInitial : done + ' of ' + Qs.length + ' answered' + (r.missing ? ': ' + r.missing + ' more to see your result.' : '.'));
    for (const q of Qs) {
      const v = answers.get(q.d.id);
      if (q.fb && Array.isArray(q.d.correct)) {
        q.fb.hidden = v === undefined;
        if (v !== undefined) {
          const c = q.d.correct.map(String);
          const got = [].concat(v).map(String);
          const ok =
            q.type === 'single' || q.type === 'scale'
              ? c.includes(got[0])
              : q.type === 'rank'
                ? got.join() === c.join()
                : got.length === c.length && got.every((x) => c.includes(x));
          text($('.ws-verdict', q.fb), ok ? 'Correct.' : 'Not quite.');
          q.fb.dataset.verdict = ok ? 'correct' : 'wrong';
        }
      }
      if (q.type === 'number' && q.hint) {
        // A value outside the range is not an answer; say why in words, not only in red.
        const i = q.inputs[0];
        const f = i.validity;
        const why = f.badInput ? 'That is not a number.' : f.rangeUnderflow ? i.value + ' is less than ' + i.min + '.' : f.rangeOverflow ? i.value + ' is more than ' + i.max + '.' : f.stepMismatch ? i.value + ' is not one of the steps.' : '';
        text(q.hint, (why + ' ' + q.hintText).trim());
        i.setAttribute('aria-invalid', why ? 'true' : 'false');
      }
      if (q.type === 'multi' && q.d.max > 0) {
        const full = (v || []).length >= q.d.max;
        for (const i of q.inputs) i.disabled = full && !i.checked;
        text(q.hint, full ? (q.hintText + ' Limit reached: untick one to choose another.').trim() : q.hintText);
      }
    }
    if (save && !shared && !teaser) store(answers);
  }

  // The record, with its summary as the progress line counts it: every question of the page.
  function store(answers) {
    try {
      const best = result(answers).best;
      const p = { done: answers.size, of: Qs.length, result: best ? best.key : null };
      if (answers.size) localStorage.setItem(KEY, JSON.stringify({ r: def.hash, a: Object.fromEntries(answers), p }));
      else localStorage.removeItem(KEY);
    } catch {
      // storage off or full: the worksheet still works, it just forgets
    }
  }

  // Answers saved under the unscoped key move to KEY once, and only when made for this very
  // structure (`r`): an older site's answers under the same id but other questions stay put.
  function load() {
    try {
      let s = localStorage.getItem(KEY);
      if (s === null) {
        const o = JSON.parse(localStorage.getItem(OLD));
        if (has(o, 'r') && o.r === def.hash) {
          localStorage.setItem(KEY, (s = JSON.stringify(o)));
          localStorage.removeItem(OLD);
        }
      }
      s = JSON.parse(s);
      return clean(has(s, 'a') ? s.a : null, true).out;
    } catch {
      return new Map();
    }
  }

  // The reader's own saved answers, shown: how leaving a link ends, so the next keystroke
  // saves over nothing it should not.
  function mine() {
    const a = load();
    apply(a);
    update(false);
    return a.size;
  }

  // --- rank buttons ---
  function rankButtons(q) {
    const lis = items(q);
    lis.forEach((li, i) => {
      for (const b of $$('button[data-move]', li)) {
        b.setAttribute('aria-disabled', String(b.dataset.move === 'up' ? i === 0 : i === lis.length - 1));
      }
    });
  }

  function move(btn) {
    if (shared && theirs.size) return locked(btn);
    const li = btn.closest('li');
    const q = Qs.find((x) => x.ol && x.ol === li.parentNode);
    const up = btn.dataset.move === 'up';
    const sib = up ? li.previousElementSibling : li.nextElementSibling;
    if (!q || !sib) return;
    q.ol.insertBefore(up ? li : sib, up ? sib : li);
    btn.focus(); // moving drops focus: keep it on the moved item's button
    q.ranked = true;
    rankButtons(q);
    const lis = items(q);
    text(announcer, flat($('.ws-rank-label', li)) + ': position ' + (lis.indexOf(li) + 1) + ' of ' + lis.length + '.');
    update(true);
  }

  // --- share links ---
  function b64(bytes) {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function unb64(s) {
    if (s.length % 4 === 1) throw new Error('base64');
    return Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  }

  // Bytes through a (De)CompressionStream, fed lazily in 256-byte slices and counted as read:
  // a deflate bomb is dropped once past `cap`.
  async function pipe(bytes, stream, cap) {
    let at = 0;
    const source = new ReadableStream(
      {
        pull(c) {
          if (at < bytes.length) c.enqueue(bytes.slice(at, (at += 256)));
          else c.close();
        },
      },
      { highWaterMark: 0 },
    );
    const reader = source.pipeThrough(stream).getReader();
    const parts = [];
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > cap) {
        reader.cancel().catch(() => {});
        throw new RangeError('size');
      }
      parts.push(value);
    }
    const out = new Uint8Array(n);
    n = 0;
    for (const p of parts) {
      out.set(p, n);
      n += p.length;
    }
    return out;
  }

  function leaveShared() {
    gen++;
    lock(false);
    theirs = new Map();
    if (banner) banner.hidden = true;
    closeCompare();
    note.remove();
    try {
      history.replaceState(history.state, '', location.pathname + location.search); // drop the fragment
    } catch {
      // sandboxed: the fragment stays
    }
  }

  function focusMsg() {
    if (msg && !msg.hidden) msg.focus();
  }

  // A refused link: message, fragment dropped, the reader's own saved answers (if any) shown.
  function refuse(why) {
    leaveShared();
    say(why + (mine() ? ' Nothing was restored from it; your own answers are shown.' : ' Nothing was restored, so the worksheet is blank.'));
  }

  async function openLink(my) {
    const h = location.hash;
    let why = 'This share link is damaged and could not be read.';
    let p = null;
    try {
      if (h.length > FRAG_MAX) throw new RangeError('size');
      const m = /^#ws1\.([jz])\.([\w-]+)$/.exec(h);
      if (!m) throw new Error('format');
      let bytes = unb64(m[2]);
      if (m[1] === 'z') bytes = await pipe(bytes, new DecompressionStream('deflate-raw'), JSON_MAX);
      if (bytes.length > JSON_MAX) throw new RangeError('size');
      p = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (e) {
      if (e instanceof RangeError) why = 'This share link is too long to read.';
    }
    if (my !== gen) return; // a newer link, or Clear, Reset or Make it mine, came first
    if (p === null || typeof p !== 'object' || Array.isArray(p)) return refuse(why);
    if (!has(p, 'w') || p.w !== def.id) return refuse('This share link is for a different worksheet.');
    const v = has(p, 'v') ? p.v : null;
    if (typeof v !== 'number' || !Number.isFinite(v)) return refuse(why);
    if (v > def.version) return refuse('This share link was made for a newer version of this worksheet.');
    const { out, given, dropped, partial } = clean(has(p, 'a') ? p.a : null, false);
    if (!out.size) return refuse('None of the answers in this share link fit this worksheet.');
    apply(out);
    theirs = out;
    lock(true);
    const best = result(out).best;
    text(theirTitle, best ? best.title : '');
    theirResult.hidden = !best;
    cmpBtn.hidden = !load().size;
    if (cmp && !cmp.hidden) compare();
    let s = bannerInitial;
    if (dropped || partial) {
      const of = ' of ' + given + (given === 1 ? ' answer' : ' answers');
      s += dropped
        ? ' ' + dropped + of + ' could not be restored' + (partial ? ', ' + partial + ' only in part' : '')
        : ' ' + partial + of + ' could only be restored in part';
      s += has(p, 'r') && p.r === def.hash ? '.' : ': the worksheet has changed since the link was made.';
    }
    text(bannerText, s);
    if (banner) banner.hidden = false;
    say('');
    update(false);
  }

  function open() {
    const my = ++gen;
    openLink(my).catch(() => my === gen && refuse('This share link is damaged and could not be read.'));
  }

  async function copy(value, done, multiline) {
    let ok = true;
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      ok = false;
    }
    for (const f of $$('.ws-copy')) f.remove(); // after the wait: two quick clicks, one field
    if (ok) say(done);
    else {
      // No clipboard: show the text, selected, for copying by hand.
      const f = document.createElement(multiline ? 'textarea' : 'input');
      f.className = 'ws-copy';
      f.readOnly = true;
      f.value = value;
      f.setAttribute('aria-label', multiline ? 'Your answers as text' : 'Share link');
      (actions || form).after(f);
      say('Copying was blocked: the ' + (multiline ? 'text' : 'link') + ' is selected below, press Ctrl+C (or ⌘C) to copy it.');
      f.focus();
      f.select();
    }
  }

  async function copyLink() {
    const answers = collect(false);
    if (!answers.size) return say('Answer a question first: there is nothing to share yet.');
    const raw = new TextEncoder().encode(JSON.stringify({ w: def.id, v: def.version, r: def.hash, a: Object.fromEntries(answers) }));
    let codec = 'j';
    let data = raw;
    try {
      const z = await pipe(raw, new CompressionStream('deflate-raw'), Infinity);
      if (z.length <= raw.length * 0.8) {
        codec = 'z';
        data = z;
      }
    } catch {
      // no CompressionStream: plain JSON
    }
    const link = location.origin + location.pathname + '#ws1.' + codec + '.' + b64(data);
    textBtn.hidden = link.length <= LINK_MAX;
    if (!textBtn.hidden) {
      return say(
        'This link would be ' + link.length.toLocaleString('en') +
          ' characters long, too long to share safely (the limit is 2,000). Use Copy as text instead.',
      );
    }
    await copy(link, 'Link copied.', false);
  }

  function optionLabel(q, id) {
    if (q.type === 'rank') return flat($('.ws-rank-label', items(q).find((li) => li.dataset.option === id)));
    const i = q.inputs.find((x) => x.value === String(id));
    // A scale's end points carry their words in aria-label ("1: Almost none").
    if (!i) return String(id);
    return i.getAttribute('aria-label') || (i.labels[0] ? flat(i.labels[0]) : String(id));
  }

  // A plain-text summary of the shareable answers.
  function summary() {
    const answers = collect(false);
    const out = [flat(document.querySelector('h1')) || document.title, location.origin + location.pathname, ''];
    if (win) out.push('Result: ' + win.title, '');
    for (const q of Qs) {
      const v = answers.get(q.d.id);
      if (v === undefined) continue;
      out.push(flat($('legend', q.el)));
      if (q.type === 'rank') v.forEach((id, i) => out.push(i + 1 + '. ' + optionLabel(q, id)));
      else if (CHOICE.includes(q.type)) for (const id of [].concat(v)) out.push('- ' + optionLabel(q, id));
      else out.push(String(v));
      out.push('');
    }
    return out.join('\n').trim() + '\n';
  }

  // --- a shared link: read-only, and compared with the reader's own answers ---
  const make = (tag, cls, s) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (s != null) e.textContent = s;
    return e;
  };
  const button = (action, label) => {
    const b = make('button', '', label);
    b.type = 'button';
    b.dataset.action = action;
    return b;
  };

  // Shared answers are read-only until Make it mine. Someone changing a friend's answer expects
  // the change to stick, yet nothing is saved while viewing a link (saving would write over the
  // reader's own answers). Disabling the fields would grey them out and take them out of the
  // Tab order, so they stay readable and focusable but do not change, and an attempt says why
  // beside the question, with Make it mine at hand. Not while the link loads: typing then is
  // simply replaced by the link's answers.
  function lock(on) {
    shared = on;
    for (const q of Qs) if (!CHOICE.includes(q.type)) for (const i of q.inputs) i.readOnly = on;
  }

  const note = make('p', 'ws-locked');
  note.setAttribute('role', 'status');
  function locked(el) {
    const fs = el.closest('.ws-q');
    if (!fs) return;
    note.replaceChildren(make('span', '', 'These are shared answers, so they stay as they are.'), button('make-mine', 'Make it mine to change them'));
    fs.append(note);
  }

  // The banner says the link's result up front and offers the comparison when the reader has
  // answers of their own saved here.
  // Made once, so a link adds no elements to the page (hostile.test counts them).
  const theirResult = make('p', 'ws-banner-result');
  const theirTitle = make('strong');
  theirResult.append('Their result: ', theirTitle);
  theirResult.hidden = true;
  const cmpBtn = button('compare', 'Compare with mine');
  cmpBtn.setAttribute('aria-expanded', 'false');
  if (banner) {
    (bannerText || banner).after(theirResult);
    const mineBtn = $('[data-action=make-mine]', banner);
    if (mineBtn) mineBtn.before(cmpBtn, ' ');
  }

  let cmp = null; // the compare panel, made when first opened
  let cmpList = null;

  function words(q, v) {
    if (v === undefined) return 'No answer';
    if (q.type === 'rank') return v.map((id, i) => i + 1 + '. ' + optionLabel(q, id)).join(', ');
    return CHOICE.includes(q.type) ? [].concat(v).map((id) => optionLabel(q, id)).join(', ') : String(v);
  }

  function row(label, yours, them, same) {
    const li = make('li', 'ws-cmp-row');
    const dl = make('dl');
    for (const [who, s] of [['Yours', yours], ['Theirs', them]]) {
      const d = make('div');
      d.append(make('dt', '', who), make('dd', '', s));
      dl.append(d);
    }
    li.append(make('p', 'ws-cmp-q', label), dl);
    if (same) li.dataset.same = 'true';
    return li;
  }

  // Both results, then every question: the reader's answer beside the link's, in words (option
  // labels). share:false questions are never in a link, so only the reader's side shows there.
  function compare() {
    const own = load();
    const title = (m) => (result(m).best || { title: 'No result yet' }).title;
    const list = make('ol', 'ws-cmp');
    list.append(row('Result', title(own), title(theirs)));
    list.firstChild.classList.add('ws-cmp-result');
    for (const q of Qs) {
      const a = words(q, own.get(q.d.id));
      const b = q.share ? words(q, theirs.get(q.d.id)) : 'Private: not shared';
      list.append(row(flat($('legend', q.el)), a, b, q.share && own.has(q.d.id) && a === b));
    }
    if (!cmp) {
      cmp = make('section', 'ws-compare');
      cmp.setAttribute('aria-label', 'Your answers beside the shared ones');
      const h = make('h2', '', 'Yours and theirs, side by side');
      h.tabIndex = -1;
      cmp.append(h, (cmpList = make('ol')), button('compare-close', 'Close comparison'));
      (banner || form.firstChild).after(cmp);
    }
    cmpList.replaceWith(list);
    cmpList = list;
    cmp.hidden = false;
    cmpBtn.setAttribute('aria-expanded', 'true');
  }

  // --- a result page: Continue keeps the first answer in the reader's record ---
  function go(e) {
    const answers = collect(true);
    if (!answers.size) return; // nothing given: the link just opens the worksheet
    e.preventDefault();
    const own = load();
    for (const [k, v] of answers) own.set(k, v);
    store(own);
    location.href = e.currentTarget.href;
  }

  // --- wiring ---
  const textBtn = button('copy-text', 'Copy as text');
  textBtn.hidden = true;
  // Reset asks first, in the page (no modal dialog), with "keep" focused.
  const confirmBox = make('p', 'ws-confirm');
  confirmBox.hidden = true;
  const keep = button('keep', 'Keep them');
  confirmBox.append('Clear every answer on this page? ', button('reset-yes', 'Clear answers'), ' ', keep);
  if (actions) {
    $('[data-action=copy-link]', actions).after(' ', textBtn);
    actions.after(confirmBox);
    actions.hidden = false;
  }
  if (msg) msg.tabIndex = -1;
  for (const el of $$('.ws-rank-buttons')) el.hidden = false;
  for (const q of Qs) if (q.ol) rankButtons(q);

  const goLink = $('[data-action=teaser-go]');
  if (goLink) goLink.addEventListener('click', go);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (goLink) goLink.click(); // Enter in the teaser's field continues, as the link does
  });
  const changed = (e) => {
    const t = e.target;
    if (t.classList.contains('ws-copy')) return;
    // A choice changed on a shared answer: put it back (see lock()).
    if (shared && theirs.size && t.closest('.ws-q')) {
      apply(theirs);
      return locked(t);
    }
    update(true);
  };
  form.addEventListener('keydown', (e) => {
    const t = e.target;
    if (shared && t.readOnly && t.closest('.ws-q') && !e.ctrlKey && !e.metaKey && (e.key.length === 1 || e.key === 'Backspace' || e.key === 'Delete')) locked(t);
  });
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('click', (e) => {
    const btn = e.target.closest('button');
    if (!btn || !form.contains(btn)) return;
    if (btn.dataset.move) return move(btn);
    const a = btn.dataset.action;
    if (a === 'clear' || (a === 'reset' && shared)) {
      // Only the link's answers go: Reset while viewing one does not erase saved answers the
      // reader cannot see.
      leaveShared();
      say('Shared answers cleared.' + (mine() ? ' Your own answers are shown again.' : ''));
      focusMsg();
    } else if (a === 'reset') {
      confirmBox.hidden = false;
      keep.focus();
    } else if (a === 'keep') {
      confirmBox.hidden = true;
      $('[data-action=reset]').focus();
    } else if (a === 'reset-yes') {
      confirmBox.hidden = true;
      apply(new Map());
      store(new Map());
      update(false);
      say('Your answers have been cleared.');
      focusMsg();
    } else if (a === 'compare') {
      if (cmp && !cmp.hidden) closeCompare();
      else {
        compare();
        cmp.firstChild.focus();
      }
    } else if (a === 'compare-close') {
      closeCompare();
      cmpBtn.focus();
    } else if (a === 'make-mine') {
      // A link never carries share:false answers, so the reader's own are kept.
      const own = load();
      for (const q of Qs) if (!q.share && own.has(q.d.id)) set(q, own.get(q.d.id));
      leaveShared();
      update(true);
      say('These answers are now yours, saved in this browser.');
      focusMsg();
    } else if (a === 'print') {
      window.print();
    } else if (a === 'copy-link' || a === 'copy-mine') {
      copyLink();
    } else if (a === 'copy-text') {
      copy(summary(), 'Answers copied as text.', true);
    }
  });
  function closeCompare() {
    if (cmp) cmp.hidden = true;
    cmpBtn.setAttribute('aria-expanded', 'false');
  }

  window.addEventListener('hashchange', () => {
    if (!teaser && location.hash.startsWith('#ws1.')) open();
  });
  // Saved in another tab: show it here too, or this tab's next keystroke would save over it;
  // while viewing a link, the comparison follows.
  window.addEventListener('storage', (e) => {
    if (e.key !== KEY) return;
    if (!shared) mine();
    else if (theirs.size) {
      cmpBtn.hidden = !load().size;
      if (cmp && !cmp.hidden) compare();
    }
  });

  if (!teaser && location.hash.startsWith('#ws1.')) {
    shared = true; // blank while the link loads: nothing typed meanwhile replaces saved answers
    apply(new Map());
    update(false);
    open();
  } else {
    mine();
  }
})();
