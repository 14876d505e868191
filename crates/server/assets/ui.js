// interdict analyst UI: keyboard navigation of the alert queue.
// j / k move to the next / previous alert, Enter opens it. Written for this UI (no library);
// loaded as a file because the Content-Security-Policy allows no inline script.
"use strict";
(function () {
  function rows() {
    var table = document.getElementById("queue");
    return table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-href]")) : [];
  }
  function select(list, index) {
    list.forEach(function (row, i) {
      row.classList.toggle("selected", i === index);
      row.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    var link = list[index] && list[index].querySelector("a");
    if (link) { link.focus(); }
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var list = rows();
    if (list.length === 0) { return; }
    var current = list.findIndex(function (row) { return row.classList.contains("selected"); });
    if (event.key === "j") {
      select(list, Math.min(current + 1, list.length - 1));
      event.preventDefault();
    } else if (event.key === "k") {
      select(list, Math.max(current - 1, 0));
      event.preventDefault();
    } else if (event.key === "Enter" && current >= 0 && tag !== "A" && tag !== "BUTTON") {
      window.location.assign(list[current].getAttribute("data-href"));
      event.preventDefault();
    }
  });
})();
