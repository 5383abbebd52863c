// reckon's only script; the pages work without it.
"use strict";

// Search as one types: after a pause of 200 ms, fetch the results of the box's text as
// an HTML fragment (rendered by the server, escaped there) and put it in #results. The
// newest answer wins: an older one arriving late is dropped. Without this script the
// form submits and the page renders the same results.
(function () {
  const form = document.querySelector("form[data-live]");
  const box = form && form.querySelector("input[name=q]");
  const results = document.getElementById("results");
  const status = document.getElementById("search-status");
  if (!form || !box || !results) return;
  const endpoint = form.getAttribute("data-live");
  let timer = 0;
  let asked = 0;
  let shown = box.value.trim();

  async function refresh() {
    const q = box.value.trim();
    if (q === shown) return;
    const mine = ++asked;
    let html = "";
    if (q) {
      try {
        const response = await fetch(endpoint + "?q=" + encodeURIComponent(q), {
          headers: { Accept: "text/html" },
        });
        if (!response.ok) return;
        html = await response.text();
      } catch (e) {
        return; // offline or the server stopped: the form still submits
      }
    }
    if (mine !== asked) return;
    shown = q;
    results.innerHTML = html;
    if (status) {
      const head = results.querySelector(".results-head, .notice");
      status.textContent = head ? head.textContent.replace(/\s+/g, " ").trim() : "";
    }
    const url = q ? "/?q=" + encodeURIComponent(q) : "/";
    window.history.replaceState(null, "", url);
    document.title = (q ? q + " · " : "") + "Search · reckon";
  }

  box.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 200);
  });
})();

// The review page's keys, as in `reckon review`: each element with data-shortcut="y" (and so
// on) is clicked when that key is pressed, unless one is typing in a field (Escape
// leaves it). One key, one decision: keys pressed while the page is going are ignored.
// Without this script the buttons' access keys do the same.
(function () {
  const byKey = new Map();
  document.querySelectorAll("[data-shortcut]").forEach(function (el) {
    byKey.set(el.getAttribute("data-shortcut"), el);
  });
  if (byKey.size === 0) return;
  let sent = false;

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    const target = event.target;
    if (
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    ) {
      if (event.key === "Escape") target.blur();
      return;
    }
    const el = byKey.get(event.key.length === 1 ? event.key.toLowerCase() : event.key);
    if (!el) return;
    event.preventDefault();
    if (sent) return;
    sent = true;
    el.click();
  });
  // Back from the browser's cache (the back button): keys work again.
  window.addEventListener("pageshow", function () {
    sent = false;
  });
})();
