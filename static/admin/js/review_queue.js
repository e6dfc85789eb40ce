// Review queue keys: j / k move between items, p publish, h hide, d warnings checked, e edit.
// Every action is also a button or link; this only saves reaching for the mouse.
(function () {
  "use strict";
  function items() { return Array.prototype.slice.call(document.querySelectorAll(".queue-item")); }
  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".queue-item") : null;
  }
  function focusItem(item) {
    if (!item) return;
    item.focus();
    item.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var target = window.location.hash ? document.querySelector(window.location.hash) : null;
    focusItem(target && target.classList.contains("queue-item") ? target : items()[0]);
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    var list = items();
    if (!list.length) return;
    var item = current();
    var index = item ? list.indexOf(item) : -1;
    if (event.key === "j" || event.key === "k") {
      var next = event.key === "j" ? Math.min(index + 1, list.length - 1) : Math.max(index - 1, 0);
      focusItem(list[next]);
      event.preventDefault();
      return;
    }
    if (!item) return;
    var control = item.querySelector('[data-key="' + event.key + '"]');
    if (control) {
      control.click();
      event.preventDefault();
    }
  });
})();
