/* The header search (theme/partials/pir-search.html).

   Opening the panel the first time loads Pagefind's interface from the
   site's own bundle, pagefind/ next to the home page; nothing comes from
   another host, and a page view that never searches fetches none of it.
   Pagefind then fetches only the index chunks and result fragments that a
   query needs. A large archive's index comes in parts (pir-parts.json
   names them; generator/pir_reviews/site/search_index.py says why), which
   Pagefind merges into one result list. Results link to their page with the words typed in
   ?highlight= (Pagefind's own parameter would carry its normalised terms,
   "inc20240315001" for an id), and this script marks them on that page.

   From a file:// address the browser refuses to load the index, so the
   panel says to use `pir serve` instead. */
(function () {
  "use strict";

  var HIGHLIGHT = "highlight";
  var box = document.querySelector("[data-pir-search]");
  if (!box) {
    return;
  }
  var root = new URL(box.getAttribute("data-pir-root"), window.location.href);
  var bundle = new URL("pagefind/", root);
  var fromDisk = window.location.protocol === "file:";
  var started = false;

  // What the panel says when the search cannot run, written when needed:
  // text, with every second part shown as code.
  var NOTES = {
    file: ["Search does not work on a copy of the site opened from disk (a file:// address). Run ",
      "pir serve", " (or ", "make serve",
      ") in the archive's folder and open http://127.0.0.1:8000/, or use the published site."],
    failed: ["The search index could not be loaded. Rebuild the site with ", "pir build", "."]
  };

  function note(name) {
    if (box.querySelector('[data-pir-search-note="' + name + '"]')) {
      return;
    }
    var shown = document.createElement("p");
    shown.className = "pir-search__note";
    shown.setAttribute("data-pir-search-note", name);
    NOTES[name].forEach(function (part, index) {
      var node = document.createTextNode(part);
      if (index % 2) {
        var code = document.createElement("code");
        code.appendChild(node);
        node = code;
      }
      shown.appendChild(node);
    });
    box.querySelector(".pir-search__panel").appendChild(shown);
  }

  function fetchAsset(file) {
    return new Promise(function (resolve, reject) {
      var url = new URL(file, bundle).href;
      var element;
      if (/\.css$/.test(file)) {
        element = document.createElement("link");
        element.rel = "stylesheet";
        element.href = url;
      } else {
        element = document.createElement("script");
        element.src = url;
      }
      element.onload = resolve;
      element.onerror = function () { reject(new Error(url)); };
      document.head.appendChild(element);
    });
  }

  // The folders of the index's other parts, from pir-parts.json: each one
  // "partN/", nothing else.
  function fetchParts() {
    return window.fetch(new URL("pir-parts.json", bundle).href).then(function (response) {
      if (!response.ok) {
        throw new Error(response.url);
      }
      return response.json();
    }).then(function (listed) {
      var parts = listed && listed.parts;
      if (!Array.isArray(parts) || !parts.every(function (part) { return /^part[0-9]+\/$/.test(part); })) {
        throw new Error("pir-parts.json");
      }
      return parts;
    });
  }

  function input() {
    return box.querySelector("input.pagefind-ui__search-input");
  }

  function whenDrawn(then, frames) {
    var found = input();
    if (found) {
      then(found);
    } else if (frames > 0) {
      window.requestAnimationFrame(function () { whenDrawn(then, frames - 1); });
    }
  }

  function withHighlight(result) {
    var found = input();
    var words = found ? found.value.trim().split(/\s+/).filter(Boolean) : [];
    if (words.length) {
      var url = new URL(result.url, window.location.href);
      words.forEach(function (word) { url.searchParams.append(HIGHLIGHT, word); });
      result.url = url.pathname + url.search + url.hash;
    }
    return result;
  }

  function start() {
    if (started) {
      var found = input();
      if (found) {
        found.focus();
      }
      return;
    }
    started = true;
    if (fromDisk) {
      note("file");
      return;
    }
    Promise.all([fetchAsset("pagefind-ui.css"), fetchAsset("pagefind-ui.js"), fetchParts()]).then(function (loaded) {
      new window.PagefindUI({
        element: "#pir-search-ui",
        bundlePath: bundle.pathname,
        baseUrl: root.pathname,
        mergeIndex: loaded[2].map(function (part) {
          return { bundlePath: new URL(part, bundle).pathname, baseUrl: root.pathname };
        }),
        showImages: false,
        showSubResults: false,
        resetStyles: false,
        autofocus: true,
        processResult: withHighlight,
        debounceTimeoutMs: 120,
        translations: { placeholder: "Search incidents and playbooks" }
      });
      // Pagefind loads its script, WebAssembly and index metadata when the
      // box gets focus; focusing it once it is drawn has that done before
      // the first word is typed.
      whenDrawn(function (found) {
        found.blur();
        found.focus();
      }, 60);
    }).catch(function () {
      note("failed");
    });
  }

  box.addEventListener("toggle", function () {
    if (box.open) {
      start();
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "Escape" && box.open) {
      box.open = false;
    } else if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      box.open = true;
      start();
    }
  });

  document.addEventListener("click", function (event) {
    if (box.open && !box.contains(event.target)) {
      box.open = false;
    }
  });

  if (!fromDisk && new URLSearchParams(window.location.search).has(HIGHLIGHT)) {
    import(new URL("pagefind-highlight.js", bundle).href).then(function () {
      new window.PagefindHighlight({ highlightParam: HIGHLIGHT, markContext: "article", addStyles: false });
    }).catch(function () {
      /* Highlighting is a convenience; the page is there either way. */
    });
  }
})();
