// The read-only shared board: its segment filter applies as soon as it changes, as on the
// board itself (without JavaScript, its button submits the choice).
(function () {
  "use strict";

  function applyFilter(select) {
    const key = select.value;
    document.querySelectorAll("#board .note[data-note-id]").forEach(function (note) {
      const keys = (note.dataset.filters || "").split(" ");
      note.classList.toggle("note--highlighted", key !== "" && keys.includes(key));
      note.classList.toggle("note--dimmed", key !== "" && !keys.includes(key));
    });
    // The address keeps the choice, for a reload or a link passed on.
    const url = new URL(window.location.href);
    if (key) url.searchParams.set("filter", key);
    else url.searchParams.delete("filter");
    window.history.replaceState(null, "", url);
  }

  document.addEventListener("change", function (event) {
    if (event.target.id === "board-filter") applyFilter(event.target);
  });
})();
