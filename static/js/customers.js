// Customer data: a file larger than the server takes is refused before it is sent, with the
// server's own message next to the field (the server refuses it too, with a page that says so).
(function () {
  "use strict";
  function check(input) {
    const limit = Number(input.dataset.maxBytes || 0);
    const file = input.files && input.files[0];
    const tooLarge = Boolean(limit && file && file.size > limit);
    input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
    let note = document.getElementById(input.id + "-too-large");
    if (tooLarge && !note) {
      note = document.createElement("p");
      note.id = input.id + "-too-large";
      note.className = "field-error";
      note.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", note);
      input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), note.id].filter(Boolean).join(" "));
    }
    if (note) note.textContent = tooLarge ? input.dataset.tooLarge : "";
  }
  document.addEventListener("change", (event) => {
    if (event.target.matches("input[type=file][data-max-bytes]")) check(event.target);
  });
})();
