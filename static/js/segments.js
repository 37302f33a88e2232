// Segment pages: the B2C/B2B fieldsets follow the chosen customer type, forms swapped in
// take the focus, Escape cancels an edit, and the undo of a deletion leaves after a while.
(function () {
  "use strict";

  // Without JS both fieldsets show; with it, only the one for the chosen customer type.
  function showCustomerType(form) {
    const checked = form.querySelector("input[name=customer_type]:checked");
    if (!checked) return;
    form.querySelectorAll("[data-customer-type]").forEach(function (fieldset) {
      // A fieldset with a rejected value stays in sight until it is corrected.
      const invalid = fieldset.querySelector("[aria-invalid=true]");
      fieldset.hidden = fieldset.dataset.customerType !== checked.value && !invalid;
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.name === "customer_type" && event.target.form) showCustomerType(event.target.form);
  });

  htmx.onLoad(function (root) {
    if (!root.querySelectorAll) return;
    const forms = root.matches(".segment-form") ? [root] : root.querySelectorAll(".segment-form");
    forms.forEach(showCustomerType);
    const undos = root.matches("[data-undo]") ? [root] : root.querySelectorAll("[data-undo]");
    undos.forEach(window.lienzoExpireLater);
    // An edit form opened in place: start typing in its first field, unless the user has
    // already clicked into one (moving the focus then sent their typing to the first field).
    if (root.matches(".persona-card--editing, .fit-item--editing") && !root.contains(document.activeElement)) {
      const first = root.querySelector("input:not([type=hidden]), textarea, select");
      if (first) first.focus();
    }
  });

  // Escape in an edit form opened in place cancels it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    const editing = event.target.closest(".persona-card--editing, .fit-item--editing");
    const cancel = editing && editing.querySelector(".form-cancel");
    if (!cancel) return;
    event.preventDefault();
    cancel.click();
  });

  // Cancelling an edit puts the focus back on the item's Edit button.
  document.addEventListener("htmx:afterSettle", function (event) {
    const source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!source || !source.classList || !source.classList.contains("form-cancel")) return;
    const item = document.getElementById(event.detail.target && event.detail.target.id);
    const edit = item && item.querySelector(".button");
    if (edit) edit.focus();
  });
})();
