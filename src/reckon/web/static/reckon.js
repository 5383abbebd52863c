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
