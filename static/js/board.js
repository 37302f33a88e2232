// The board: drag and drop (SortableJS), Enter/Escape in note forms, undo timers, focus.
(function () {
  "use strict";
  const UNDO_SECONDS = 10;

  function livePosition(list, item) {
    const notes = Array.from(list.children).filter(
      (el) => el.classList.contains("note") && !el.classList.contains("note--deleted")
    );
    return notes.indexOf(item) + 1;
  }

  // The board carries the URL of note 0; a note's own URLs swap in its id.
  function noteUrl(id, action) {
    const base = document.getElementById("board").dataset.noteUrl;
    return base.replace(/\/0\/$/, "/" + id + "/") + (action ? action + "/" : "");
  }

  function initSortable(list) {
    if (list.dataset.sortable || !list.closest(".board--editable")) return;
    list.dataset.sortable = "1";
    Sortable.create(list, {
      group: "notes",
      animation: 120,
      draggable: ".note[data-note-id]",
      filter: "textarea, input, select, button, a, .note__menu-panel, .note--editing",
      preventOnFilter: false,
      ghostClass: "note--ghost",
      chosenClass: "note--chosen",
      onEnd: function (event) {
        if (event.from === event.to && event.oldIndex === event.newIndex) return;
        const item = event.item;
        htmx.ajax("POST", noteUrl(item.dataset.noteId, "move"), {
          source: item,
          target: "#board",
          swap: "outerHTML",
          values: { block: event.to.dataset.block, position: livePosition(event.to, item) },
        });
      },
    });
  }

  function scheduleUndoExpiry(placeholder) {
    window.setTimeout(function () {
      if (placeholder.contains(document.activeElement)) {
        placeholder.addEventListener("focusout", () => placeholder.remove(), { once: true });
      } else {
        placeholder.remove();
      }
    }, UNDO_SECONDS * 1000);
  }

  // Empty an add form and drop its error. Not form.reset(): after an error the form is
  // re-rendered with the rejected text as the textarea's default value.
  function clearAddForm(form) {
    const field = form.querySelector(".note-add__text");
    field.value = "";
    field.removeAttribute("aria-invalid");
    field.removeAttribute("aria-describedby");
    const error = form.querySelector(".field-error");
    if (error) error.remove();
  }

  // The board filter: notes of the chosen segment stand out, the rest fade.
  function applyFilter() {
    const select = document.getElementById("board-filter");
    if (!select) return;
    const key = select.value;
    document.querySelectorAll("#board .note[data-note-id]").forEach(function (note) {
      const keys = (note.dataset.filters || "").split(" ");
      note.classList.toggle("note--highlighted", key !== "" && keys.includes(key));
      note.classList.toggle("note--dimmed", key !== "" && !keys.includes(key));
    });
    const url = new URL(window.location.href);
    if (key) url.searchParams.set("filter", key);
    else url.searchParams.delete("filter");
    window.history.replaceState(null, "", url);
  }

  // SortableJS animates notes through their style attribute (and leaves it empty after).
  // While htmx settles a swap it copies the old element's attributes onto the new one, and
  // setting a style attribute breaks the CSP (style-src 'self'): the swap replaces those
  // notes anyway, so drop their inline styles first.
  document.addEventListener("htmx:beforeSwap", function () {
    document.querySelectorAll("#board [style]").forEach(function (element) {
      element.removeAttribute("style");
    });
  });

  document.addEventListener("change", function (event) {
    if (event.target.id === "board-filter") applyFilter();
  });

  htmx.onLoad(function (root) {
    if (root.id === "board" || root === document.body || (root.closest && root.closest("#board"))) applyFilter();
    const scope = root.querySelectorAll ? root : document;
    if (root.matches && root.matches(".notes")) initSortable(root);
    scope.querySelectorAll(".notes").forEach(initSortable);
    if (root.matches && root.matches("[data-undo]")) {
      // The focused Delete button left with its note: hand the focus to Undo, not to the page.
      if (!document.activeElement || document.activeElement === document.body) {
        root.querySelector("button").focus();
      }
      scheduleUndoExpiry(root);
    }
    if (root.matches && root.matches(".note--menu-open")) {
      const first = root.querySelector(".note__menu-panel a, .note__menu-panel button");
      if (first) first.focus();
    }
    const editor = root.querySelector && root.querySelector(".note-edit__text");
    if (editor && editor.value === editor.defaultValue) {
      // Caret at the end, unless the user already started changing the text.
      editor.focus();
      editor.setSelectionRange(editor.value.length, editor.value.length);
    }
  });

  document.addEventListener("keydown", function (event) {
    const field = event.target;
    if (!(field instanceof HTMLTextAreaElement) || event.isComposing) return;
    const adding = field.classList.contains("note-add__text");
    const editing = field.classList.contains("note-edit__text");
    if (!adding && !editing) return;
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      // A form swapped in a moment ago may not be wired up by htmx yet (it is on settle):
      // wire it now, or the submit would be a full page post.
      htmx.process(field.form);
      field.form.requestSubmit();
    } else if (event.key === "Escape") {
      event.preventDefault();
      if (editing) {
        field.form.querySelector(".note-edit__cancel").click();
      } else {
        clearAddForm(field.form);
        field.blur();
      }
    }
  });

  // Escape closes an open note menu, handing the focus back to its toggle.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const note = event.target.closest && event.target.closest(".note--menu-open");
    if (!note) return;
    event.preventDefault();
    note.querySelector(".note__menu-toggle").click();
  });

  // A note added: clear the form and keep typing in the same block.
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("note-add")) return;
    const current = document.getElementById(form.id);
    if (!current) return;
    if (event.detail.successful && current === form && !event.detail.xhr.getResponseHeader("HX-Retarget")) {
      clearAddForm(form);
    }
    const field = current.querySelector("textarea");
    if (field) field.focus();
  });

  // Double-click a note to edit it in place.
  document.addEventListener("dblclick", function (event) {
    const text = event.target.closest(".note__text");
    const note = text && text.closest(".board--editable .note[data-note-id]:not(.note--editing)");
    if (!note) return;
    htmx.ajax("GET", noteUrl(note.dataset.noteId, "edit"), { source: note, target: "#" + note.id, swap: "outerHTML" });
  });

  // The live board: every few seconds ask whether the canvas changed (a cheap 204 when it
  // did not) and, if it did, take the new board while keeping what the user is working on:
  // a note being edited or whose menu is open, an add box with text or focus.
  const POLL_SECONDS = 5;

  function keepWorkInProgress(board, fresh) {
    board.querySelectorAll(".note--editing, .note--menu-open").forEach(function (note) {
      const twin = fresh.querySelector("#" + note.id);
      if (twin) {
        twin.replaceWith(note);
      } else {
        const list = note.closest(".notes");
        const freshList = list && fresh.querySelector("#" + list.id);
        if (freshList) freshList.append(note); // deleted meanwhile: keep the text in sight
      }
    });
    board.querySelectorAll("form.note-add").forEach(function (form) {
      const field = form.querySelector("textarea");
      if (field && (field.value || document.activeElement === field)) {
        const twin = fresh.querySelector("#" + form.id);
        if (twin) twin.replaceWith(form);
      }
    });
  }

  async function pollBoard() {
    const board = document.getElementById("board");
    if (!board || !board.dataset.changesUrl || document.hidden) return;
    if (document.querySelector(".note--chosen, .htmx-request")) return; // dragging or saving
    const url = board.dataset.changesUrl + "?version=" + encodeURIComponent(board.dataset.version);
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } });
    } catch (error) {
      return; // offline for a moment: the next poll tries again
    }
    if (response.status !== 200 || document.getElementById("board") !== board) return;
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    const fresh = template.content.querySelector("#board");
    if (!fresh || document.querySelector(".note--chosen")) return;
    const focused = document.activeElement;
    const selection = focused && "selectionStart" in focused ? [focused.selectionStart, focused.selectionEnd] : null;
    keepWorkInProgress(board, fresh);
    board.replaceWith(fresh);
    htmx.process(fresh);
    fresh.querySelectorAll(".notes").forEach(initSortable);
    applyFilter();
    if (focused && focused !== document.body && fresh.contains(focused)) {
      focused.focus();
      if (selection) focused.setSelectionRange(selection[0], selection[1]);
    }
  }

  window.setInterval(pollBoard, POLL_SECONDS * 1000);

  // Our own changes move the page to the version they produced, if it was current before.
  document.addEventListener("htmx:afterRequest", function (event) {
    const board = document.getElementById("board");
    const xhr = event.detail.xhr;
    if (!board || !xhr || !board.dataset.version) return;
    const before = xhr.getResponseHeader("X-Lienzo-Version-Before");
    const after = xhr.getResponseHeader("X-Lienzo-Version");
    if (after && before === board.dataset.version) board.dataset.version = after;
  });

  document.addEventListener("lienzo:focusNote", function (event) {
    const note = document.getElementById("note-" + event.detail.id);
    if (!note) return;
    const target = note.querySelector(".note__menu-toggle") || note;
    target.focus();
    note.scrollIntoView({ block: "nearest" });
  });

  document.addEventListener("lienzo:error", function (event) {
    if (window.lienzoAnnounce) window.lienzoAnnounce(event.detail.message, "error");
  });
})();
