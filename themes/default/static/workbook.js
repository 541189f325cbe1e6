/* sheaf workbook (DESIGN.md section 10): progress from local storage, all answers moved by
   link (#wb1.<codec>.<data>) or file. Links and files are hostile: capped, try/catch, rebuilt
   by rec() (worksheet.js checks answers again), shown as text. Words: #wb-text. The key,
   base64url and pipe() (lazy, capped: bombs stop) copy worksheet.js; never on one page. */
(() => {
  'use strict';
  const $ = (s, r = document) => r.querySelector(s);
  const box = $('.wb-transfer');
  const tx = $('#wb-text');
  let W;
  try {
    W = JSON.parse($('#wb-data').textContent).worksheets;
  } catch {}
  if (!box || !tx || !Array.isArray(W)) return;
  const me = document.currentScript;
  const K = 'sheaf:ws:' + (me && me.src ? new URL('.', me.src).pathname : '/') + ':';
  const byKey = new Map(W.map((w) => [w.id + ':v' + w.v, w]));
  const T = (k, v = {}) => $('[data-t=' + k + ']', tx).textContent.replace(/\{(\w+)\}/g, (_, x) => v[x]);
  const obj = (o) => o && typeof o == 'object' && !Array.isArray(o);
  const str = (s, n) => typeof s == 'string' && s.length <= n;
  const CAP = 262144;
  const msg = $('.wb-message');
  const imp = $('.wb-import');
  const copy = $('.wb-copy');
  const btn = (a) => $('[data-action=' + a + ']', box);
  const titles = (g) => g.map((x) => '“' + x[2].title + '”').join(', ');
  let pending;

  function say(k, v) {
    msg.textContent = k ? T(k, v) : '';
    if (!(msg.hidden = !k)) msg.focus();
  }

  function rec(o, w) {
    if (!obj(o) || !obj(o.a)) return;
    const a = {};
    const p = o.p;
    for (const q of Object.keys(o.a).slice(0, 500)) {
      const v = o.a[q];
      if (!/^[a-z0-9][\w-]{0,99}$/.test(q));
      else if (str(v, 2e4) || (typeof v == 'number' && isFinite(v))) a[q] = v;
      else if (Array.isArray(v) && v.length <= 100 && v.every((x) => str(x, 200))) a[q] = v;
    }
    const r = { r: str(o.r, 64) ? o.r : '', a };
    if (o.r === w.r && obj(p) && [p.done, p.of].every(Number.isInteger) && 0 <= p.done && p.done <= p.of)
      r.p = { done: p.done, of: p.of, result: w.results.some((x) => x.key === p.result) ? p.result : null };
    if (Object.keys(a).length) return r;
  }

  function load(k) {
    try {
      return rec(JSON.parse(localStorage.getItem(K + k)), byKey.get(k));
    } catch {}
  }

  function show() {
    for (const [k, w] of byKey) {
      const li = $('.wb-item[data-id="' + w.id + '"]');
      const r = load(k);
      const p = r && r.p;
      const res = p && w.results.find((x) => x.key === p.result);
      $('.wb-progress', li).textContent = !r ? T('none') : p ? T('done', p) : T('saved', { n: Object.keys(r.a).length });
      $('.wb-result', li).hidden = !res;
      if (res) Object.assign($('.wb-result a', li), { textContent: res.title, href: res.url });
      $('.wb-go', li).textContent = T(r ? 'again' : 'start');
      $('.wb-state', li).hidden = false;
    }
  }

  async function pipe(b, s, cap) {
    let at = 0;
    let n = 0;
    const parts = [];
    const rd = new ReadableStream({ pull: (c) => (at < b.length ? c.enqueue(b.slice(at, (at += 256))) : c.close()) }, { highWaterMark: 0 })
      .pipeThrough(s)
      .getReader();
    for (let r; !(r = await rd.read()).done; parts.push(r.value))
      if ((n += r.value.length) > cap) throw (rd.cancel().catch(Boolean), RangeError());
    return new Uint8Array(await new Blob(parts).arrayBuffer());
  }

  function mine() {
    const s = {};
    for (const k of byKey.keys()) if (load(k)) s[k] = load(k);
    if (Object.keys(s).length) return JSON.stringify({ wb: 1, s });
    say('empty');
  }

  async function exportLink(j) {
    let d = new TextEncoder().encode(j);
    let c = 'j';
    let t = '';
    try {
      const z = await pipe(d, new CompressionStream('deflate-raw'), CAP);
      if (z.length <= d.length * 0.8) [c, d] = ['z', z];
    } catch {}
    for (let i = 0; i < d.length; ) t += String.fromCharCode(...d.slice(i, (i += 3e3)));
    const link = (copy.value = location.origin + location.pathname + '#wb1.' + c + '.' + btoa(t).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
    copy.hidden = true;
    if (link.length > 8192) return say('long', { n: link.length });
    try {
      await navigator.clipboard.writeText(link);
      say('copied');
    } catch {
      copy.hidden = false;
      say('blocked');
      copy.focus();
      copy.select();
    }
  }

  function offer(json) {
    const o = JSON.parse(json);
    const got = [];
    let other = 0;
    let changed = 0;
    if (!obj(o) || o.wb !== 1 || !obj(o.s)) throw Error();
    for (const k of Object.keys(o.s)) {
      const w = byKey.get(k);
      const r = w && rec(o.s[k], w);
      if (!r) other++;
      else got.push([k, r, w, load(k)]), (changed += r.r !== w.r);
    }
    if (!got.length) return drop(), say('foreign');
    pending = got;
    $('.wb-import-list').replaceChildren(
      ...got.map((g) => Object.assign(document.createElement('li'), { textContent: ((n) => T(n === 1 ? 'item1' : 'item', { title: g[2].title, n }))(Object.keys(g[1].a).length) + (g[3] ? T('yours') : '') })),
    );
    const note = $('.wb-import-note');
    note.textContent = (other ? T('other', { n: other }) + ' ' : '') + (changed ? T('changed', { n: changed }) : '');
    note.hidden = !note.textContent;
    ask([]);
    say();
    imp.hidden = false;
    $('h3', imp).focus();
  }

  function ask(old) {
    const t = titles(old);
    const c = $('.wb-confirm');
    c.textContent = t && T('ask', { list: t });
    c.hidden = btn('replace').hidden = btn('keep').hidden = !t;
    btn('import').hidden = !!t;
    if (t) btn('keep').focus();
  }

  function drop() {
    pending = 0;
    imp.hidden = true;
    if (location.hash.startsWith('#wb1.')) history.replaceState(history.state, '', location.pathname + location.search);
  }

  function write(all) {
    const done = pending.filter((g) => all || !g[3]);
    drop();
    try {
      for (const [k, r] of done) localStorage.setItem(K + k, JSON.stringify(r));
    } catch {
      return say('full');
    }
    show();
    say(done.length ? 'imported' : 'kept', { list: titles(done) });
  }

  async function openLink(h) {
    try {
      if (h.length > 65536) throw RangeError();
      const m = /^#wb1\.([jz])\.([\w-]+)$/.exec(h);
      let b = Uint8Array.from(atob(m[2].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
      if (m[1] == 'z') b = await pipe(b, new DecompressionStream('deflate-raw'), CAP);
      if (b.length > CAP) throw RangeError();
      offer(new TextDecoder('utf-8', { fatal: true }).decode(b));
    } catch (e) {
      drop();
      say(e instanceof RangeError ? 'huge' : 'bad');
    }
  }

  box.addEventListener('click', (e) => {
    const d = e.target.dataset.action;
    const j = /link|file/.test(d) && mine();
    const old = pending && pending.filter((g) => g[3]);
    if (j && d == 'link') exportLink(j);
    else if (j) {
      Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([j], { type: 'application/json' })), download: 'workbook-answers.json' }).click();
      say('saved-file');
    } else if (!old);
    else if (d == 'import') old.length ? ask(old) : write(1);
    else if (d == 'replace' || d == 'keep') write(d == 'replace');
    else if (d == 'cancel') drop(), say('cancelled');
  });
  $('#wb-file').addEventListener('change', async (e) => {
    const f = e.target.files[0];
    e.target.value = '';
    if (f)
      try {
        if (f.size > CAP) throw RangeError();
        offer(await f.text());
      } catch (x) {
        drop();
        say(x instanceof RangeError ? 'huge-file' : 'bad-file');
      }
  });
  const hash = () => location.hash.startsWith('#wb1.') && openLink(location.hash);
  addEventListener('hashchange', hash);
  addEventListener('storage', show);
  box.hidden = false;
  show();
  hash();
})();
