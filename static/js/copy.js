// Copy buttons: <button data-copy-from="#selector" data-copied="已复制">. Copies the
// value (inputs) or text of the target; falls back to selecting it when the
// Clipboard API is unavailable (plain-HTTP pages, old browsers).
(function () {
  "use strict";
  var status = document.querySelector(".copy-status");

  function textOf(target) {
    return target.value !== undefined ? target.value : target.textContent.trim();
  }

  function fallback(target, text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    if (!ok && target.select) { target.select(); }
    return ok;
  }

  function done(button, ok) {
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = ok ? button.dataset.copied : label;
    button.classList.toggle("is-done", ok);
    if (status) { status.textContent = ok ? button.dataset.copied : ""; }
    window.setTimeout(function () {
      button.textContent = label;
      button.classList.remove("is-done");
    }, 2000);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-from]");
    if (!button) { return; }
    var target = document.querySelector(button.dataset.copyFrom);
    if (!target) { return; }
    var text = textOf(target);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { done(button, true); },
        function () { done(button, fallback(target, text)); }
      );
    } else {
      done(button, fallback(target, text));
    }
  });
})();
