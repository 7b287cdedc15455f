// Keyboard use on every page: "/" jumps to search, "j"/"k" move through the rows of the page, Enter opens.
(function () {
  "use strict";
  var current = -1;
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("[data-nav]")); }
  function typing(target) {
    var tag = (target && target.tagName) || "";
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  function focusRow(index) {
    var all = rows();
    if (!all.length) { return; }
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row) { row.classList.remove("current"); });
    var row = all[current];
    row.classList.add("current");
    var link = row.tagName === "A" ? row : row.querySelector("a");
    (link || row).focus();
    row.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key === "/") {
      var box = document.getElementById("q");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
    } else if (event.key === "j") {
      focusRow(current + 1);
    } else if (event.key === "k") {
      focusRow(current - 1);
    }
  });
})();
