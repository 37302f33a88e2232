// The board: drag and drop (SortableJS), Enter/Escape in note forms, undo timers, and the
// live board (htmx polls and morphs; this file only says what the morph must leave alone).
(function () {
  "use strict";
  const UNDO_SECONDS = 10;
  const sortables = new WeakSet();

  function livePosition(list, item) {
    const notes = Array.from(list.children).filter(
      (el) => el.classList.contains("note") && !el.classList.contains("note--deleted")
    );
    return notes.indexOf(item) + 1;
  }

  function initSortable(list) {
    if (sortables.has(list) || !list.closest(".board--editable")) return;
    sortables.add(list);
    Sortable.create(list, {
      group: "notes",
      animation: 120,
      draggable: ".note[data-move-url]",
      filter: "textarea, input, select, button, a, .note__menu-panel, .note--editing",
      preventOnFilter: false,
      ghostClass: "note--ghost",
      chosenClass: "note--chosen",
      onEnd: function (event) {
        if (event.from === event.to && event.oldIndex === event.newIndex) return;
        const item = event.item;
        htmx.ajax("POST", item.dataset.moveUrl, {
          source: item,
          target: "#board",
          swap: "outerHTML",
          values: { block: event.to.dataset.block, position: livePosition(event.to, item) },
        });
      },
    });
  }

  const expireLater = window.lienzoExpireLater;

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

  // SortableJS animates notes through their style attribute (and leaves it empty after).
  // While htmx settles a swap it copies the old element's attributes onto the new one, and
  // setting a style attribute breaks the CSP (style-src 'self'): the swap replaces those
  // notes anyway, so drop their inline styles first.
  document.addEventListener("htmx:beforeSwap", function () {
    document.querySelectorAll("#board [style]").forEach(function (element) {
      element.removeAttribute("style");
    });
  });

  htmx.onLoad(function (root) {
    const scope = root.querySelectorAll ? root : document;
    if (root.matches && root.matches(".notes")) initSortable(root);
    scope.querySelectorAll(".notes").forEach(initSortable);
    if (root.matches && root.matches("[data-undo]")) {
      // The focused Delete button left with its note: hand the focus to Undo, not to the page.
      if (!document.activeElement || document.activeElement === document.body) {
        root.querySelector("button").focus();
      }
      expireLater(root);
    }
    if (root.matches && root.matches("[data-gone]")) expireLater(root);
    scope.querySelectorAll(".note .note__refusal").forEach(function (refusal) {
      window.setTimeout(() => refusal.remove(), UNDO_SECONDS * 1000);
    });
    if (root.matches && root.matches(".note--menu-open")) {
      const first = root.querySelector(".note__menu-panel a, .note__menu-panel button");
      if (first) first.focus();
    }
    // Only an edit form just swapped in: a live board's morph around a note being edited
    // must not move the caret or the selection of whoever is typing in it.
    const editor = root.matches && root.matches(".note--editing") && root.querySelector(".note-edit__text");
    const untouched = editor && editor.value === editor.defaultValue && editor.selectionEnd === 0;
    if (untouched && !root.querySelector(".conflict")) {
      // Caret at the end, unless the user already started changing (or selecting) the text.
      editor.focus();
      editor.setSelectionRange(editor.value.length, editor.value.length);
    }
  });

  document.addEventListener("click", function (event) {
    const dismiss = event.target.closest(".note__dismiss");
    if (dismiss) dismiss.closest(".note").remove();
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

  // Escape anywhere else in a note's edit form (a colour, the relationship type) cancels too.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.target instanceof HTMLTextAreaElement) return;
    const form = event.target.closest && event.target.closest("form.note-edit");
    if (!form) return;
    event.preventDefault();
    form.querySelector(".note-edit__cancel").click();
  });

  // Escape closes an open note menu, handing the focus back to its toggle.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const note = event.target.closest && event.target.closest(".note--menu-open");
    if (!note) return;
    event.preventDefault();
    note.querySelector(".note__menu-toggle").click();
  });

  // A note added: clear the form and keep typing in the same block. A refused one comes
  // back as the form itself, with the text and the reason.
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("note-add")) return;
    const current = document.getElementById(form.id);
    if (!current) return;
    if (event.detail.xhr.status < 300 && current === form) clearAddForm(form);
    const field = current.querySelector("textarea");
    if (field) field.focus();
  });

  // Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y; Cmd on a Mac) undo and redo one's own last change on
  // the board, through the toolbar's buttons. In a text box they stay the browser's own.
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.isComposing) return;
    const key = event.key.toLowerCase();
    if (key !== "z" && key !== "y") return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    const button = document.getElementById(key === "y" || event.shiftKey ? "board-redo" : "board-undo");
    if (!button) return;
    event.preventDefault();
    button.click();
  });

  // Double-click a note to edit it in place.
  document.addEventListener("dblclick", function (event) {
    const text = event.target.closest(".note__text");
    const note = text && text.closest(".note[data-edit-url]:not(.note--editing)");
    if (!note) return;
    htmx.ajax("GET", note.dataset.editUrl, { source: note, target: "#" + note.id, swap: "outerHTML" });
  });

  // The live board --------------------------------------------------------------------
  // #board-live polls (hx-trigger "every 5s") and morphs the board into what the server
  // has. What the user is working on is left as it is: a note being edited or whose menu is
  // open (even one deleted meanwhile: it stays in sight, and acting on it says it is gone),
  // an add box with text or focus, and the placeholders of undo and of refusals.
  const KEEP = ".note--editing, .note--menu-open, .note--deleted, .note--gone";
  let actions = 0; // requests the user made: a poll that crossed one is stale
  let pollStartedAfter = 0;

  function busyAddForm(node) {
    const field = node.matches("form.note-add") && node.querySelector("textarea");
    return Boolean(field && (field.value || document.activeElement === field));
  }

  Idiomorph.defaults.callbacks.beforeNodeMorphed = function (oldNode) {
    if (!(oldNode instanceof Element)) return true;
    return !(oldNode.matches(KEEP) || busyAddForm(oldNode));
  };
  Idiomorph.defaults.callbacks.beforeNodeRemoved = function (node) {
    if (!(node instanceof Element)) return true;
    return !node.matches(KEEP + ", .note__refusal");
  };

  function isPoll(event) {
    return event.detail.elt && event.detail.elt.id === "board-live";
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!isPoll(event)) {
      actions += 1;
      return;
    }
    const dragging = document.querySelector(".note--chosen");
    const saving = document.querySelector(".htmx-request:not(#board-live)");
    if (document.hidden || dragging || saving) {
      event.preventDefault();
      return;
    }
    pollStartedAfter = actions;
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!isPoll(event)) return;
    // The user acted while the poll was on its way: its board may not have their change.
    // The next poll brings one that has.
    if (actions !== pollStartedAfter || document.querySelector(".note--chosen")) event.detail.shouldSwap = false;
  });

})();
