/*
 * Sort and filter for the archive table of reviews (reviews/index.md).
 *
 * Progressive enhancement: the table is complete and readable without this
 * script. With it, each header becomes a button that sorts by that column
 * (cells may carry a data-sort value: ISO date, severity rank, minutes), and a
 * text box above the table hides the rows that do not contain every word typed.
 * No library, no network request.
 */
(function () {
  "use strict";

  function sortValue(cell) {
    var raw = cell.getAttribute("data-sort");
    return raw === null ? cell.textContent.trim().toLowerCase() : raw;
  }

  function compare(a, b, numeric) {
    if (numeric) {
      var x = a === "" ? Infinity : Number(a);
      var y = b === "" ? Infinity : Number(b);
      return x - y;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function enhance(table) {
    if (table.getAttribute("data-pir-ready") === "1") {
      return;
    }
    table.setAttribute("data-pir-ready", "1");
    var body = table.tBodies[0];
    if (!body) {
      return;
    }
    var rows = Array.prototype.slice.call(body.rows);
    var texts = rows.map(function (row) {
      return row.textContent.toLowerCase();
    });

    var box = document.createElement("input");
    box.type = "search";
    box.className = "pir-archive-filter";
    box.placeholder = "Filter reviews (id, title, service, severity, status...)";
    box.setAttribute("aria-label", "Filter the reviews");
    var count = document.createElement("p");
    count.className = "pir-archive-count";
    count.setAttribute("aria-live", "polite");
    table.parentNode.insertBefore(box, table);
    table.parentNode.insertBefore(count, table);

    function showCount(shown) {
      count.textContent = shown + " of " + rows.length + " reviews shown";
    }

    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = words.every(function (word) {
          return texts[i].indexOf(word) !== -1;
        });
        row.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      showCount(shown);
    });
    showCount(rows.length);

    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (header, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pir-sort";
      button.textContent = header.textContent;
      header.textContent = "";
      header.appendChild(button);
      var numeric = header.getAttribute("data-type") === "number";
      button.addEventListener("click", function () {
        var ascending = button.getAttribute("aria-sort-direction") !== "ascending";
        Array.prototype.forEach.call(table.querySelectorAll(".pir-sort"), function (other) {
          other.removeAttribute("aria-sort-direction");
          other.parentNode.removeAttribute("aria-sort");
        });
        button.setAttribute("aria-sort-direction", ascending ? "ascending" : "descending");
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var order = rows.map(function (row, i) {
          return { row: row, key: sortValue(row.cells[column]), index: i };
        });
        order.sort(function (a, b) {
          var result = compare(a.key, b.key, numeric);
          if (!ascending) {
            result = -result;
          }
          return result || a.index - b.index;
        });
        order.forEach(function (entry) {
          body.appendChild(entry.row);
        });
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-pir-archive]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
