// sheaf serve: live reload. Injected only by the preview server, never into built sites.
// Listens on the server's event stream: `reload` reloads keeping the scroll position, `css`
// swaps stylesheets in place, `error` shows the build errors until the next good build.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/__sheaf\/live\.js.*$/, "") : "/";
  // The build this page was served from (the server adds it to this script's URL).
  var served = script ? (script.src.match(/[?&]build=(\d+)/) || [])[1] : undefined;
  var SCROLL_KEY = "sheaf-serve-scroll:" + location.pathname;
  var overlay = null;

  // Restore the scroll position saved before a live reload.
  var saved = sessionStorage.getItem(SCROLL_KEY);
  if (saved !== null) {
    sessionStorage.removeItem(SCROLL_KEY);
    window.addEventListener("load", function () {
      window.scrollTo(0, Number(saved) || 0);
    });
  }

  function reload() {
    sessionStorage.setItem(SCROLL_KEY, String(window.scrollY));
    location.reload();
  }

  // Stylesheet names are fingerprinted, so the new names come from a fresh copy of this page.
  function swapCss() {
    fetch(location.href, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var next = fresh.querySelectorAll('link[rel~="stylesheet"]');
        var now = document.querySelectorAll('link[rel~="stylesheet"]');
        if (next.length !== now.length) { reload(); return; }
        var t = Date.now();
        for (var i = 0; i < now.length; i++) {
          var href = next[i].getAttribute("href") || "";
          now[i].setAttribute("href", href + (href.indexOf("?") < 0 ? "?" : "&") + "t=" + t);
        }
      })
      .catch(reload);
  }

  function hideErrors() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  // Closed by its button (or Escape) to see the last good page under it; the errors come
  // back with the next failed build (`error` event), not on a reconnect's re-check.
  var dismissed = false;
  function dismiss() { dismissed = true; hideErrors(); }
  document.addEventListener("keydown", function (e) {
    if (overlay && e.key === "Escape") dismiss();
  });

  // Text only (textContent), never HTML: error messages quote the author's content.
  function showErrors(errors) {
    hideErrors();
    if (!errors || !errors.length) return;
    overlay = document.createElement("div");
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("data-sheaf-errors", "");
    // Opaque, and every part styled here: the page's text would show through otherwise, and
    // its CSS (a theme's `pre`) could make the errors unreadable.
    var s = overlay.style;
    s.position = "fixed"; s.inset = "0"; s.zIndex = "2147483647"; s.overflow = "auto";
    s.margin = "0"; s.padding = "1.5rem"; s.background = "#141414"; s.color = "#fff";
    s.font = "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
    var title = document.createElement("p");
    title.textContent = "sheaf: the build failed; showing the last good version. Fix the error and save.";
    title.style.cssText = "margin:0 0 1rem;font:inherit;font-weight:bold;color:inherit";
    overlay.appendChild(title);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Dismiss the build errors (Escape); they come back on the next failed build");
    close.setAttribute("data-sheaf-dismiss", "");
    close.style.cssText = "position:absolute;top:0.75rem;right:0.75rem;margin:0;padding:0 0.5rem;" +
      "font:bold 20px/1.5 sans-serif;color:#fff;background:#333;border:1px solid #888;border-radius:4px;cursor:pointer";
    close.addEventListener("click", dismiss);
    overlay.appendChild(close);
    errors.forEach(function (e) {
      var pre = document.createElement("pre");
      pre.textContent = e.text || e.message || String(e);
      pre.style.cssText = "margin:0 0 1rem;padding:0.75rem 0 0;border:0;border-top:1px solid #888;" +
        "border-radius:0;background:none;color:inherit;font:inherit;white-space:pre-wrap";
      overlay.appendChild(pre);
    });
    (document.body || document.documentElement).appendChild(overlay);
  }

  function parse(data) {
    try { return JSON.parse(data); } catch (e) { return []; }
  }

  // The current errors, asked for once subscribed (on every connect, reconnects included):
  // a page opened while the build is broken shows them too, and a build that failed between
  // this page's load and the subscription is not missed. An event that arrives while the
  // answer is on its way is newer than the answer, so it wins.
  var events = 0;
  function checkErrors() {
    var at = events;
    fetch(base + "__sheaf/errors", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (errors) { if (events === at && !dismissed) showErrors(errors); })
      .catch(function () {});
  }

  // Naming the page lets the server render it first after a change.
  var source = new EventSource(base + "__sheaf/events?page=" + encodeURIComponent(location.pathname));
  source.addEventListener("open", checkErrors);
  // The first event names the current build: a newer one finished while this page was
  // loading, so its reload was sent before we listened. (Also after a server restart.)
  source.addEventListener("build", function (e) {
    if (served !== undefined && e.data !== served) { events++; reload(); }
  });
  source.addEventListener("reload", function () { events++; reload(); });
  source.addEventListener("css", function () { events++; swapCss(); });
  source.addEventListener("error", function (e) {
    // A dropped connection also fires `error` (without data): ignore that one.
    if (typeof e.data === "string") { events++; dismissed = false; showErrors(parse(e.data)); }
  });
})();
