// The board's view and keys: zoom, the focus view, the presentation, blocks opened and
// closed on a narrow screen, arrows and Alt+arrows between and with notes, the shortcuts
// list, and the add box's counter.
(function () {
  "use strict";

  // The view of the board: zoom, focus on one block, presentation, blocks opened and closed
  // on a narrow screen. The state lives on the blocks' classes and their buttons' aria
  // attributes, which the live board's morph leaves as they are (beforeAttributeUpdated).
  const area = document.getElementById("board-area");
  const VIEW_STATE = ".block, .block__toggle, .block__focus";
  if (window.Idiomorph) {
    // (The shared read-only board has no live updates, and no morph.)
    Idiomorph.defaults.callbacks.beforeAttributeUpdated = function (name, node) {
      return !(node.matches(VIEW_STATE) && (name === "class" || name.startsWith("aria-")));
    };
  }
  const narrow = window.matchMedia("(max-width: 900px)");
  const ZOOMS = [0.6, 0.7, 0.8, 0.9, 1, 1.15, 1.3, 1.5, 1.75];

  function blockOf(id) {
    return document.getElementById("block-" + id);
  }

  function setZoom(index) {
    const level = Math.max(0, Math.min(ZOOMS.length - 1, index));
    area.style.setProperty("--board-zoom", String(ZOOMS[level]));
    area.dataset.zoomIndex = String(level);
    document.getElementById("board-zoom-level").textContent = Math.round(ZOOMS[level] * 100) + "%";
    try { window.localStorage.setItem("lienzo-board-zoom", String(ZOOMS[level])); } catch (e) { /* private mode */ }
  }

  function zoomIndex() {
    return Number(area.dataset.zoomIndex || ZOOMS.indexOf(1));
  }

  function focusedBlock() {
    return document.querySelector(".block--focused");
  }

  function setFocusView(block, on) {
    const current = focusedBlock();
    if (current && current !== block) setFocusView(current, false);
    block.classList.toggle("block--focused", on);
    const button = block.querySelector(".block__focus");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    document.body.classList.toggle("board-focus-open", on);
    button.focus();
  }

  function setCollapsed(block, collapsed) {
    block.classList.toggle("block--collapsed", collapsed);
    block.querySelector(".block__toggle").setAttribute("aria-expanded", collapsed ? "false" : "true");
  }

  // A narrow screen starts with the blocks closed (a list of nine titles and their counts),
  // except one that holds what the page points at; a wide one shows them all.
  function applyNarrow() {
    const target = window.location.hash && document.querySelector(window.location.hash);
    document.querySelectorAll("#board .block").forEach(function (block) {
      setCollapsed(block, narrow.matches && !(target && block.contains(target)));
    });
  }

  // Presentation ---------------------------------------------------------------------------
  let story = [];
  let storyIndex = -1;

  function showStory(index) {
    storyIndex = Math.max(0, Math.min(story.length - 1, index));
    story.forEach(function (id, i) {
      const block = blockOf(id);
      block.classList.toggle("block--current", i === storyIndex);
      block.classList.toggle("block--ahead", i > storyIndex);
    });
    const block = blockOf(story[storyIndex]);
    const label = block.querySelector(".block__label").textContent;
    area.querySelector(".board-presenting-status").textContent = area.dataset.presentStatus
      .replace("{index}", storyIndex + 1).replace("{total}", story.length).replace("{block}", label);
    block.focus({ preventScroll: true });
  }

  function startPresenting() {
    story = (area.dataset.story || "").split(" ").filter(Boolean);
    if (!story.length) return;
    if (focusedBlock()) setFocusView(focusedBlock(), false);
    area.classList.add("board-area--presenting");
    document.querySelectorAll("#board .block").forEach((block) => setCollapsed(block, false));
    if (area.requestFullscreen) area.requestFullscreen().catch(function () { /* not allowed: the overlay is enough */ });
    showStory(0);
  }

  function stopPresenting() {
    if (!area.classList.contains("board-area--presenting")) return;
    area.classList.remove("board-area--presenting");
    document.querySelectorAll("#board .block").forEach(function (block) {
      block.classList.remove("block--current", "block--ahead");
    });
    if (document.fullscreenElement) document.exitFullscreen().catch(function () {});
    applyNarrow();
    area.querySelector(".board-presenting-status").textContent = "";
    document.querySelector("[data-present]").focus();
  }

  function presenting() {
    return area.classList.contains("board-area--presenting");
  }

  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement) stopPresenting();
  });

  // Keyboard: arrows between notes and blocks, Alt+arrows to move a note -----------------
  // Neighbours in the canvas' shape (on a narrow screen, the list's order is the same idea).
  const NEIGHBOURS = {
    right: { key_partners: "key_activities", key_activities: "value_propositions", key_resources: "value_propositions", value_propositions: "customer_relationships", customer_relationships: "customer_segments", channels: "customer_segments", cost_structure: "revenue_streams" },
    left: { key_activities: "key_partners", key_resources: "key_partners", value_propositions: "key_activities", customer_relationships: "value_propositions", channels: "value_propositions", customer_segments: "customer_relationships", revenue_streams: "cost_structure" },
    down: { key_activities: "key_resources", customer_relationships: "channels", key_partners: "cost_structure", key_resources: "cost_structure", value_propositions: "cost_structure", channels: "revenue_streams", customer_segments: "revenue_streams" },
    up: { key_resources: "key_activities", channels: "customer_relationships", cost_structure: "key_partners", revenue_streams: "customer_segments" },
  };
  const DIRECTIONS = { ArrowLeft: "left", ArrowRight: "right", ArrowUp: "up", ArrowDown: "down" };

  function notesOf(block) {
    return Array.from(block.querySelectorAll(".notes > .note[data-note-id]"));
  }

  // Into a block: the note at `index` (clamped), or, in an empty block, its add box.
  function enterBlock(id, index) {
    const block = blockOf(id);
    if (!block) return;
    if (block.classList.contains("block--collapsed")) setCollapsed(block, false);
    const notes = notesOf(block);
    const target = notes.length ? notes[Math.max(0, Math.min(notes.length - 1, index))] : block.querySelector(".note-add__text") || block;
    target.focus();
  }

  function navigate(note, direction, event) {
    const block = note.closest(".block");
    const notes = notesOf(block);
    const index = notes.indexOf(note);
    if (event.altKey) {
      if (!note.dataset.moveUrl) return false;
      const values = direction === "up" || direction === "down"
        ? { direction: direction }
        : { block: NEIGHBOURS[direction][block.dataset.block] };
      if (!values.direction && !values.block) return true;
      if (values.direction && ((direction === "up" && index === 0) || (direction === "down" && index === notes.length - 1))) return true;
      htmx.ajax("POST", note.dataset.moveUrl, { source: note, target: "#board", swap: "outerHTML", values: values });
      return true;
    }
    if (direction === "up" && index > 0) notes[index - 1].focus();
    else if (direction === "down" && index < notes.length - 1) notes[index + 1].focus();
    else {
      const next = NEIGHBOURS[direction][block.dataset.block];
      if (next) enterBlock(next, direction === "up" ? Infinity : direction === "down" ? 0 : index);
    }
    return true;
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable], dialog");
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (presenting()) {
      const steps = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1 };
      if (event.key in steps) showStory(storyIndex + steps[event.key]);
      else if (event.key === "Home") showStory(0);
      else if (event.key === "End") showStory(story.length - 1);
      else if (event.key === "Escape") stopPresenting();
      else return;
      event.preventDefault();
      return;
    }
    if (typing(target)) return;
    if (event.key === "?") {
      event.preventDefault();
      document.getElementById("board-shortcuts").showModal();
      return;
    }
    if (event.key === "Escape" && focusedBlock()) {
      event.preventDefault();
      setFocusView(focusedBlock(), false);
      return;
    }
    const direction = DIRECTIONS[event.key];
    if (!direction || event.shiftKey) return;
    const note = target.closest(".notes > .note[data-note-id]:not(.note--editing):not(.note--menu-open)");
    if (note) {
      if (navigate(note, direction, event)) event.preventDefault();
    } else if (target.matches(".block__focus, .block") && direction === "down" && !event.altKey) {
      event.preventDefault();
      enterBlock(target.closest(".block").dataset.block, 0);
    }
  });

  // Enter on a note (not on one of its buttons) edits it, as a double click does.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches(".note[data-edit-url]:not(.note--editing)")) return;
    event.preventDefault();
    const note = event.target;
    htmx.ajax("GET", note.dataset.editUrl, { source: note, target: "#" + note.id, swap: "outerHTML" });
  });

  document.addEventListener("click", function (event) {
    const zoom = event.target.closest("[data-zoom]");
    if (zoom) {
      const step = Number(zoom.dataset.zoom);
      setZoom(step === 0 ? ZOOMS.indexOf(1) : zoomIndex() + step);
      return;
    }
    const focusButton = event.target.closest(".block__focus");
    if (focusButton) {
      const block = focusButton.closest(".block");
      setFocusView(block, !block.classList.contains("block--focused"));
      return;
    }
    const toggle = event.target.closest(".block__toggle");
    if (toggle) {
      const block = toggle.closest(".block");
      setCollapsed(block, !block.classList.contains("block--collapsed"));
      return;
    }
    if (event.target.closest("[data-present]")) startPresenting();
    else if (event.target.closest("[data-shortcuts]")) document.getElementById("board-shortcuts").showModal();
  });

  // The character counter: shown as a note nears its limit, in red past it (the server
  // refuses the note then, keeping the text in the box).
  const COUNTER_FROM = 0.8;
  function updateCounter(field) {
    const counter = document.getElementById(field.dataset.counter);
    if (!counter) return;
    const max = Number(area.dataset.noteMax);
    const count = field.value.length;
    counter.hidden = count < max * COUNTER_FROM;
    const over = count > max;
    counter.classList.toggle("char-counter--over", over);
    counter.textContent = (over ? area.dataset.counterOverText : area.dataset.counterText)
      .replace("{count}", count.toLocaleString(document.documentElement.lang))
      .replace("{max}", max.toLocaleString(document.documentElement.lang));
  }

  // Where CSS cannot size a text box to its content, size it here.
  const fieldSizing = window.CSS && CSS.supports("field-sizing", "content");
  document.addEventListener("input", function (event) {
    const field = event.target;
    if (!(field instanceof HTMLTextAreaElement) || !field.dataset.counter) return;
    updateCounter(field);
    if (!fieldSizing) {
      field.style.height = "auto";
      field.style.height = field.scrollHeight + 2 + "px";
    }
  });

  // The segment filter: notes of the chosen segment stand out, the rest fade; the address
  // keeps the choice. Applied again to whatever board htmx brings (a move, the live board).
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

  document.addEventListener("change", function (event) {
    if (event.target.id === "board-filter") applyFilter();
  });
  document.addEventListener("htmx:afterSettle", applyFilter);

  htmx.onLoad(function (root) {
    const scope = root.querySelectorAll ? root : document;
    scope.querySelectorAll("textarea[data-counter]").forEach(updateCounter);
    if (root === document.body || root.id === "board" || (root.closest && root.closest("#board"))) applyFilter();
    if (root === document.body) {
      let saved = 1;
      try { saved = Number(window.localStorage.getItem("lienzo-board-zoom")) || 1; } catch (e) { /* private mode */ }
      setZoom(ZOOMS.indexOf(saved) >= 0 ? ZOOMS.indexOf(saved) : ZOOMS.indexOf(1));
      applyNarrow();
    }
  });
  narrow.addEventListener("change", applyNarrow);
})();
