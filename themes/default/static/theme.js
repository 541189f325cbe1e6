/* sheaf: the reader's light/dark choice (the header's "Dark theme" toggle button).
   Loaded in <head> without `defer`, so <html data-theme> is set before the page is first
   painted: no flash of the wrong scheme. It is a file, not an inline script, so the default
   Content-Security-Policy holds. Only a choice that differs from the system's is kept
   (per site: the key holds the folder this script is served from, like saved answers);
   choosing what the system shows again means "follow the system". */
(() => {
  'use strict';
  const me = document.currentScript;
  const KEY = 'sheaf:theme:' + (me && me.src ? new URL('.', me.src).pathname : '/');
  const root = document.documentElement;
  const system = window.matchMedia('(prefers-color-scheme: dark)');

  const read = () => {
    try {
      const saved = localStorage.getItem(KEY);
      return saved === 'dark' || saved === 'light' ? saved : null;
    } catch {
      return null; // storage off: the system decides
    }
  };
  const apply = (choice) => {
    if (choice) root.dataset.theme = choice;
    else delete root.dataset.theme;
  };
  const dark = () => (root.dataset.theme || (system.matches ? 'dark' : 'light')) === 'dark';
  apply(read());

  document.addEventListener('DOMContentLoaded', () => {
    const button = document.querySelector('button.theme-toggle');
    if (!button) return;
    const show = () => button.setAttribute('aria-pressed', String(dark()));
    button.addEventListener('click', () => {
      const next = dark() ? 'light' : 'dark';
      const choice = (next === 'dark') === system.matches ? null : next;
      apply(choice);
      try {
        if (choice) localStorage.setItem(KEY, choice);
        else localStorage.removeItem(KEY);
      } catch {
        // storage off: the choice lasts for this page
      }
      show();
    });
    system.addEventListener('change', show);
    // Another tab of this site chose.
    window.addEventListener('storage', (e) => {
      if (e.key === KEY) {
        apply(read());
        show();
      }
    });
    show();
    button.hidden = false;
  });
})();
