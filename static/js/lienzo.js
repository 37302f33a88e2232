// Site-wide behaviour: progressive enhancements that every page shares.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("change", function (event) {
    const select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit();
  });

  function announce(text, kind) {
    const region = document.getElementById("messages");
    if (!region) return;
    const message = document.createElement("p");
    message.className = "message message--" + (kind || "info");
    message.textContent = text;
    region.replaceChildren(message);
  }
  window.lienzoAnnounce = announce;

  document.addEventListener("htmx:responseError", function (event) {
    const xhr = event.detail.xhr;
    const text = xhr.getResponseHeader("X-Lienzo-Message") || document.body.dataset.errorMessage;
    announce(text, "error");
  });
  document.addEventListener("htmx:sendError", function () {
    announce(document.body.dataset.offlineMessage, "error");
  });
})();
