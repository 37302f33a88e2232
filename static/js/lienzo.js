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

  // A placeholder (an undo, a note someone else deleted) leaves after UNDO_SECONDS, unless
  // the user is on it: then once they leave it. The server keeps what it undoes longer.
  const UNDO_SECONDS = 10;
  window.lienzoExpireLater = function (placeholder) {
    window.setTimeout(function () {
      if (placeholder.contains(document.activeElement)) {
        placeholder.addEventListener("focusout", () => placeholder.remove(), { once: true });
      } else {
        placeholder.remove();
      }
    }, UNDO_SECONDS * 1000);
  };

  // Refusals with a message of their own (400, 409, 410, 422, 429) are swapped in where the
  // user acted (responseHandling in base.html); any other error gets this general message.
  document.addEventListener("htmx:responseError", function () {
    announce(document.body.dataset.errorMessage, "error");
  });

  // A PDF made in the background is ready: fetch it (it comes as an attachment, so the page stays).
  document.addEventListener("lienzo:download", function (event) {
    window.location.assign(event.detail.url);
  });

  // The server names the element that should have the focus after a change (canvas_app.htmx.focus).
  document.addEventListener("lienzo:focus", function (event) {
    const element = document.getElementById(event.detail.id);
    if (!element) return;
    element.focus();
    element.scrollIntoView({ block: "nearest" });
  });
  // The header's menu on a phone: the CSS folds the links behind the button while it says
  // aria-expanded="false". Escape closes it from anywhere in the header.
  const menuToggle = document.querySelector(".menu-toggle");
  if (menuToggle) {
    const header = menuToggle.closest("header");
    menuToggle.addEventListener("click", function () {
      const open = menuToggle.getAttribute("aria-expanded") !== "true";
      menuToggle.setAttribute("aria-expanded", String(open));
    });
    header.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || menuToggle.getAttribute("aria-expanded") !== "true") return;
      menuToggle.setAttribute("aria-expanded", "false");
      menuToggle.focus();
    });
  }

  document.addEventListener("htmx:sendError", function () {
    announce(document.body.dataset.offlineMessage, "error");
  });
})();
