/* sheaf: site search with Pagefind (the box in the header, and the /search/ page).
   Loaded with `defer` on every page when search is on. It fetches nothing by itself: Pagefind's
   bundle is loaded the first time a search box is focused (or at once on /search/?q=…), through
   search-pagefind.js, a module next to this file.

   The header box is a plain GET form to /search/, so Enter (and a reader without JavaScript)
   gets the full results page. As the reader types, a panel under the box lists the best
   results: each a link, the whole list reachable with the arrow keys (real focus moves, so
   screen readers read each link as they would anywhere), Escape back to the box. A count line
   is also said through a live region.

   Everything from the address bar and from the index is data: text nodes only, <mark>
   elements made here, links only to paths on this site. */
(() => {
  'use strict';
  const PANEL_RESULTS = 6; // results in the header's panel
  const PAGE_STEP = 10; // results per "Show more" on /search/
  const EXCERPT_WORDS = 24;
  const TYPING_PAUSE = 150; // ms without a keystroke before searching, at most

  const box = document.querySelector('form.site-search');
  const page = document.querySelector('.search-page');
  const holder = box || page;
  if (!holder || !holder.dataset.loader) return;

  // ------------------------------------------------------------ Pagefind, loaded once

  let loading = null;
  let ready = false;
  const pagefind = () => {
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const got = (e) => resolve(e.detail);
        document.addEventListener('sheaf:pagefind', got, { once: true });
        const script = document.createElement('script');
        script.type = 'module';
        script.src = holder.dataset.loader;
        script.addEventListener('error', () => {
          document.removeEventListener('sheaf:pagefind', got);
          reject(new Error('search index not found'));
        });
        document.head.append(script);
      }).then(async (pf) => {
        await pf.options({ excerptLength: EXCERPT_WORDS });
        await pf.init();
        ready = true;
        return pf;
      });
    }
    return loading;
  };
  const preload = () => pagefind().catch(() => {}); // the failure is shown when searching

  // ------------------------------------------------------------ data to DOM, safely

  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  };

  // Pagefind's excerpts are the page's text with "<" and ">" escaped (and only those:
  // pagefind.js 1.6, loadFragment) and <mark>…</mark> around matched words. Titles are as
  // written, not escaped.
  const unescaped = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  /** The excerpt as nodes: text, and <mark> only where Pagefind marked a match. */
  const marked = (excerpt) => {
    const out = document.createDocumentFragment();
    let inMark = false;
    for (const part of String(excerpt || '').split(/(<\/?mark>)/)) {
      if (part === '<mark>') inMark = true;
      else if (part === '</mark>') inMark = false;
      else if (part) out.append(inMark ? el('mark', null, unescaped(part)) : unescaped(part));
    }
    return out;
  };

  // Only paths on this site: "/…", not "//host" or "/\host".
  const sitePath = (url) => (typeof url === 'string' && /^\/(?![/\\])/.test(url) ? url : null);

  /** What a result shows, or null for one that would link off the site. */
  const details = async (result) => {
    const d = await result.data();
    const url = sitePath(d.url);
    if (!url) return null;
    const meta = d.meta || {};
    // Sections of the page (headings with an id) that matched, most matches first.
    const subs = (d.sub_results || [])
      .filter((s) => sitePath(s.url) && s.url.includes('#') && s.title)
      .sort((a, b) => (b.locations || []).length - (a.locations || []).length);
    return { url, title: String(meta.title || url), date: meta.date, excerpt: d.excerpt, subs };
  };

  // A heading's text as indexed may end with its anchor link's "#" (or ¶, §).
  const heading = (title) => String(title).replace(/\s*[#¶§]$/, '');

  const quoted = (q) => `\u201c${q}\u201d`;
  const count = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;

  let uid = 0;

  /* `fn` with at most one call running. Pagefind searches one query at a time in its worker,
     and on a large site a search takes a good part of a second, so searching on every
     keystroke would queue the newest query behind stale ones. A call made while one runs
     waits; when it ends, only the newest waiting call runs, and the others get null. */
  const latestOnly = (fn) => {
    let running = false;
    let waiting = null;
    const start = (arg) => {
      running = true;
      const done = Promise.resolve(fn(arg));
      const next = () => {
        running = false;
        const w = waiting;
        waiting = null;
        if (w) w.resolve(start(w.arg));
      };
      done.then(next, next);
      return done;
    };
    return (arg) => {
      if (!running) return start(arg);
      if (waiting) waiting.resolve(null);
      return new Promise((resolve) => {
        waiting = { arg, resolve };
      });
    };
  };

  // ------------------------------------------------------------ shortcuts: "/" and Ctrl/⌘-K

  const typing = (t) =>
    t instanceof Element &&
    (t.isContentEditable ||
      t.matches('textarea, select, input:not([type=checkbox], [type=radio], [type=button], [type=submit], [type=reset], [type=range], [type=color], [type=file], [type=image])'));

  // On /search/ the shortcuts go to the page's own box.
  const shortcutTarget = (page || box).querySelector('input[type=search]');
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.isComposing || e.altKey) return;
    const inField = typing(e.target);
    const k = (e.key === 'k' || e.key === 'K') && !e.shiftKey && (e.metaKey || (e.ctrlKey && !inField));
    const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !inField;
    if (!k && !slash) return;
    e.preventDefault();
    shortcutTarget.focus();
    shortcutTarget.select();
  });

  if (box) headerBox(box);
  if (page) searchPage(page);

  // ------------------------------------------------------------ the header's box and panel

  function headerBox(form) {
    const input = form.querySelector('input[type=search]');
    const panel = form.querySelector('.site-search-panel');
    const shown = panel.querySelector('.site-search-status');
    // The count is also said by a live region outside the panel: one inside would be
    // hidden until the panel opens, and a region that appears with its text is not read.
    const live = form.querySelector('[role=status]');
    const tell = (text) => {
      shown.textContent = text;
      if (live) live.textContent = text;
    };
    const list = el('ul', 'site-search-results');
    list.setAttribute('aria-label', 'Results');
    const allLine = el('p', 'site-search-all');
    const searchPath = new URL(form.action).pathname;
    // An href from the start (the results page), so no anchor on the page is without one.
    const all = el('a');
    all.href = searchPath;
    allLine.append(all);
    panel.append(list, allLine);
    const hint = form.querySelector('.site-search-key');
    if (hint) hint.hidden = false; // the shortcut works now

    let seq = 0;
    const searchLatest = latestOnly((q) => pagefind().then((pf) => pf.search(q)));
    let lastSearch = 0; // ms the last search took
    let shownFor = null; // the query the panel's content answers
    let back = false; // focus is coming back to the box from the panel: leave the panel be

    const open = () => {
      panel.hidden = false;
      form.classList.add('is-open');
    };
    const close = () => {
      panel.hidden = true;
      form.classList.remove('is-open');
    };
    const say = (text) => {
      list.replaceChildren();
      allLine.hidden = true;
      tell(text);
      open();
    };

    // The link is the title, described by the excerpt after it; CSS stretches the link over
    // the whole item, so the excerpt is part of what a pointer can click.
    const hit = (item) => {
      const li = el('li');
      const a = el('a', 'site-search-hit', item.title);
      a.href = item.url;
      const excerpt = el('span', 'site-search-excerpt');
      excerpt.id = `ss-${++uid}`;
      excerpt.append(marked(item.excerpt));
      a.setAttribute('aria-describedby', excerpt.id);
      li.append(a, excerpt);
      const sub = item.subs[0];
      if (sub) {
        const s = el('a', 'site-search-sub', heading(sub.title));
        s.href = sub.url;
        li.append(s);
      }
      return li;
    };

    const run = async () => {
      const q = input.value.trim();
      const mine = ++seq;
      // One Latin letter matches too much to be worth a search (it is a prefix of a good
      // part of the index, and costs a large site hundreds of milliseconds).
      if (!q || /^[\x00-\x7f]$/.test(q)) {
        shownFor = null;
        list.replaceChildren();
        tell('');
        close();
        return;
      }
      if (!ready) say('Loading search\u2026');
      let pf;
      try {
        pf = await pagefind();
      } catch {
        if (mine === seq) say('Search is not available on this page right now.');
        return;
      }
      // A short pause: long enough to skip searching for a letter typed in a burst, short
      // enough that results follow the last keystroke within 100 ms (scripts/bench-search).
      // A pause in the typing as long as the last search took (at most TYPING_PAUSE): a
      // small site answers at once, a large one does not start a search per letter. Then a
      // search for the newest query only.
      await new Promise((resolve) => setTimeout(resolve, Math.min(TYPING_PAUSE, lastSearch)));
      if (mine !== seq) return;
      const started = performance.now();
      const found = await searchLatest(q);
      if (found) lastSearch = performance.now() - started;
      if (!found || mine !== seq) return;
      const items = (await Promise.all(found.results.slice(0, PANEL_RESULTS).map(details))).filter(Boolean);
      if (mine !== seq) return;
      const n = found.results.length;
      list.replaceChildren(...items.map(hit));
      tell(n ? `${count(n, 'result')} for ${quoted(q)}` : `No results for ${quoted(q)}`);
      all.href = `${searchPath}?q=${encodeURIComponent(q)}`;
      all.textContent = `All results for ${quoted(q)}`;
      allLine.hidden = !n;
      shownFor = q;
      if (document.activeElement === input || panel.contains(document.activeElement)) open();
    };

    input.addEventListener('input', run);
    input.addEventListener('focus', () => {
      preload();
      if (back) return;
      if (shownFor && shownFor === input.value.trim()) open();
      else if (input.value.trim()) run();
    });

    const links = () => [...panel.querySelectorAll('a')].filter((a) => !a.closest('[hidden]'));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' && panel.hidden && input.value.trim()) {
        // Escape closed the panel: the arrow opens it again.
        e.preventDefault();
        if (shownFor === input.value.trim()) open();
        else run();
      } else if (e.key === 'ArrowDown') {
        const first = links()[0];
        if (first) {
          e.preventDefault();
          first.focus();
        }
      } else if (e.key === 'Escape' && !panel.hidden) {
        e.preventDefault(); // only close: a second Escape clears the box as usual
        close();
      }
    });
    panel.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Escape') return;
      e.preventDefault();
      if (e.key === 'Escape') close();
      const all = links();
      const next = e.key === 'Escape' ? -1 : all.indexOf(document.activeElement) + (e.key === 'ArrowDown' ? 1 : -1);
      if (next >= all.length) return;
      if (next >= 0) all[next].focus();
      else {
        back = true;
        input.focus();
        back = false;
      }
    });

    // Closes when focus or a click goes elsewhere. The panel itself takes focus on a click
    // (tabindex=-1), so clicking between its links keeps it open.
    form.addEventListener('focusout', () => {
      setTimeout(() => {
        if (document.hasFocus() && !form.contains(document.activeElement)) close();
      }, 0);
    });
    document.addEventListener('pointerdown', (e) => {
      if (!form.contains(e.target)) close();
    });
    // Back from a result (the back/forward cache) finds the page as it was left: not open.
    window.addEventListener('pagehide', close);
  }

  // ------------------------------------------------------------ the /search/ page

  function searchPage(root) {
    const form = root.querySelector('form.search-form');
    const input = form.querySelector('input[type=search]');
    const filters = root.querySelector('.search-filters');
    const tagList = filters.querySelector('.search-tags');
    const status = root.querySelector('.search-status');
    const list = root.querySelector('.search-results');
    const more = root.querySelector('.search-more');
    const lang = document.documentElement.lang || undefined;

    const params = new URLSearchParams(location.search);
    input.value = params.get('q') || '';
    const wanted = new Set(params.getAll('tag'));
    const boxes = new Map(); // tag -> { input, count, label }

    let seq = 0;
    let results = [];
    let shown = 0;

    const chosen = () => (boxes.size ? [...boxes].filter(([, b]) => b.input.checked).map(([t]) => t) : [...wanted]);

    const syncAddress = (q, tags) => {
      const p = new URLSearchParams();
      if (q) p.set('q', q);
      for (const t of tags) p.append('tag', t);
      const query = p.toString();
      history.replaceState(history.state, '', query ? `?${query}` : location.pathname);
    };

    let built = null;
    const buildFilters = (pf) => (built ||= addFilters(pf));
    const addFilters = async (pf) => {
      const all = (await pf.filters()).tag || {};
      for (const tag of Object.keys(all).sort((a, b) => a.localeCompare(b, lang))) {
        const label = el('label', 'search-tag');
        const check = el('input');
        check.type = 'checkbox';
        check.name = 'tag';
        check.value = tag;
        check.checked = wanted.has(tag);
        const n = el('span', 'search-tag-count');
        label.append(check, el('span', null, tag), n);
        tagList.append(label);
        boxes.set(tag, { input: check, count: n, label });
      }
      filters.hidden = !boxes.size;
    };

    const showCounts = (counts) => {
      for (const [tag, b] of boxes) {
        const n = counts[tag] || 0;
        b.count.textContent = String(n);
        // A tag that would leave nothing goes, unless the reader chose it.
        b.label.hidden = !n && !b.input.checked;
      }
    };

    // `date` is YYYY-MM-DD (a longer timestamp is cut to its day).
    const day = (iso) => (/^\d{4}-\d{2}-\d{2}/.test(iso || '') ? iso.slice(0, 10) : null);
    // "14 January 2025", as pages show their dates, with the month in the page's language.
    const dateText = (d) => {
      const at = new Date(`${d}T00:00:00Z`);
      const month = at.toLocaleDateString(lang, { month: 'long', timeZone: 'UTC' });
      return `${at.getUTCDate()} ${month} ${at.getUTCFullYear()}`;
    };

    const hit = (item) => {
      const li = el('li', 'search-hit');
      const h = el('h2', 'search-hit-title');
      const a = el('a', null, item.title);
      a.href = item.url;
      h.append(a);
      li.append(h);
      const d = day(item.date);
      if (d && !Number.isNaN(Date.parse(d))) {
        const t = el('time', 'search-hit-date', dateText(d));
        t.dateTime = d;
        li.append(t);
      }
      const p = el('p', 'search-hit-excerpt');
      p.append(marked(item.excerpt));
      li.append(p);
      if (item.subs.length) {
        const subs = el('ul', 'search-hit-subs');
        for (const s of item.subs.slice(0, 3)) {
          const sli = el('li');
          const sa = el('a', null, heading(s.title));
          sa.href = s.url;
          const ex = el('span', 'search-hit-sub-excerpt');
          ex.append(marked(s.excerpt));
          sli.append(sa, ex);
          subs.append(sli);
        }
        li.append(subs);
      }
      return li;
    };

    const showMore = async (mine, focus) => {
      const batch = results.slice(shown, shown + PAGE_STEP);
      shown += batch.length;
      const items = (await Promise.all(batch.map(details))).filter(Boolean);
      if (mine !== seq) return;
      const added = items.map(hit);
      list.append(...added);
      more.hidden = shown >= results.length;
      if (focus && added[0]) added[0].querySelector('a').focus();
    };

    const run = async (delay) => {
      const q = input.value.trim();
      const tags = chosen();
      const mine = ++seq;
      syncAddress(q, tags);
      if (!q && !tags.length) {
        results = [];
        list.replaceChildren();
        more.hidden = true;
        status.textContent = '';
        if (boxes.size) pagefind().then((pf) => pf.filters()).then((all) => mine === seq && showCounts(all.tag || {}), () => {});
        return;
      }
      let pf;
      try {
        pf = await pagefind();
        await buildFilters(pf);
      } catch {
        if (mine === seq) status.textContent = 'Search is not available on this site right now.';
        return;
      }
      const options = tags.length ? { filters: { tag: tags } } : {};
      const found = delay ? await pf.debouncedSearch(q || null, options, delay) : await pf.search(q || null, options);
      if (!found || mine !== seq) return;
      results = found.results;
      shown = 0;
      list.replaceChildren();
      showCounts((found.filters && found.filters.tag) || {});
      await showMore(mine, false);
      if (mine !== seq) return;
      // Said once the first results are on the page (it is a live region).
      const n = results.length;
      const tagged = tags.length ? ` tagged ${tags.join(', ')}` : '';
      status.textContent = q
        ? `${n ? count(n, 'result') : 'No results'} for ${quoted(q)}${tagged}`
        : `${n ? count(n, 'page') : 'No pages'}${tagged}`;
    };

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      run(0);
    });
    input.addEventListener('input', () => run(TYPING_PAUSE));
    // With nothing asked yet, the bundle loads when the box is focused, as in the header;
    // then the tags show, with how many pages carry each.
    input.addEventListener('focus', () => {
      pagefind()
        .then(buildFilters)
        .then(() => {
          if (!seq) run(0);
        }, () => {});
    });
    tagList.addEventListener('change', () => run(0));
    more.addEventListener('click', async () => {
      if (more.getAttribute('aria-disabled')) return; // a batch is on its way
      more.setAttribute('aria-disabled', 'true');
      try {
        await showMore(seq, true);
      } finally {
        more.removeAttribute('aria-disabled');
      }
    });

    if (input.value.trim() || wanted.size) run(0);
  }
})();
