// Segments on the board: the segment picker of each note (Escape closes it, the live board
// leaves an open one alone) and the legend, fetched again when the segments on the board change.
(function () {
  "use strict";

  // Escape in an open picker closes it (its toggle asks the server for the closed picker and
  // the focus comes back to the toggle). Caught before the board's own Escape handling, so
  // an open note menu around it stays open.
  document.addEventListener(
    "keydown",
    function (event) {
      if (event.key !== "Escape" || !event.target.closest) return;
      const picker = event.target.closest(".segment-picker--open");
      if (!picker) return;
      event.preventDefault();
      event.stopPropagation();
      // The picker may have been swapped in a moment ago, before htmx wired it up (it does on
      // settle): wire it now, or the toggle would send the form as a plain page request.
      const toggle = picker.querySelector(".segment-picker__toggle");
      htmx.process(picker);
      toggle.form.requestSubmit(toggle);
    },
    true
  );

  // The live board morphs in what the server has: an open picker stays as the user has it.
  if (window.Idiomorph) {
    const callbacks = Idiomorph.defaults.callbacks;
    const morphed = callbacks.beforeNodeMorphed;
    const removed = callbacks.beforeNodeRemoved;
    callbacks.beforeNodeMorphed = function (node, ...rest) {
      if (node instanceof Element && node.matches(".segment-picker--open")) return false;
      return morphed ? morphed.call(this, node, ...rest) : true;
    };
    callbacks.beforeNodeRemoved = function (node, ...rest) {
      if (node instanceof Element && node.matches(".segment-picker--open")) return false;
      return removed ? removed.call(this, node, ...rest) : true;
    };
  }

  // What the legend shows: the segments' notes, their marks and names, in board order.
  function segmentsOnBoard() {
    const notes = document.querySelectorAll("#notes-customer_segments > li.note[data-note-id]");
    return Array.from(notes, function (note) {
      const mark = note.querySelector(".note__segment-mark");
      const text = note.querySelector(".note__text");
      return [note.dataset.noteId, mark ? mark.className + mark.textContent : "", text ? text.textContent : ""].join(":");
    }).join("|");
  }

  let shown = null;
  function refreshLegend() {
    const legend = document.getElementById("segment-legend");
    if (!legend || !document.getElementById("notes-customer_segments")) return;
    const now = segmentsOnBoard();
    if (shown === null || now === shown) {
      shown = now;
      return;
    }
    shown = now;
    htmx.ajax("GET", legend.dataset.url, { source: legend, target: "#segment-legend", swap: "outerHTML" });
  }

  document.addEventListener("DOMContentLoaded", refreshLegend);
  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail.target;
    if (target && target.id !== "segment-legend") refreshLegend();
  });
})();
