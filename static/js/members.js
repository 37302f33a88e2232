// The members page: copy a share link with one click. Without JavaScript the Copy buttons
// stay hidden and the link is selected by hand from its read-only field.
(function () {
  "use strict";

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
  });

  function copied(button) {
    const label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = button.dataset.copiedLabel;
    window.clearTimeout(Number(button.dataset.timer));
    button.dataset.timer = String(window.setTimeout(function () {
      button.textContent = label;
    }, 2500));
  }

  // The older way, for browsers (or headless ones) that refuse the Clipboard API.
  function copyWithSelection() {
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const field = document.getElementById(button.dataset.copy);
    if (!field) return;
    field.focus();
    field.select();
    const fallback = function () {
      if (copyWithSelection()) {
        copied(button);
      } else if (window.lienzoAnnounce) {
        window.lienzoAnnounce(button.dataset.selectLabel, "info");
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () {
        copied(button);
      }, fallback);
    } else {
      fallback();
    }
  });

  // A read-only field selects its whole link when it gets the focus.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("input.share-link__url")) event.target.select();
  });
})();
