// Autosave for the structured review: each item's form is sent a few seconds after the reviewer
// stops typing, as JSON-answered POSTs with the form's own CSRF token and revision. A save that
// someone else's overtook (409) is not retried: the text stays in the box and the status says
// so. Until a save succeeds the text is also kept in this browser's storage, so a closed tab or
// a lost connection loses nothing. A kept draft is restored with the revision it was made from,
// so if anyone saved the item since, its save is refused as stale rather than overwriting theirs.
(function () {
  "use strict";
  var DELAY = 2000;

  function status(form, text) {
    var line = form.querySelector(".app-finding__status");
    if (line) line.textContent = text;
  }

  function key(form) {
    return "beaconport-draft:" + form.action;
  }

  function keepLocally(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token") data[name] = value;
    });
    try { window.localStorage.setItem(key(form), JSON.stringify(data)); } catch (e) { /* full */ }
  }

  function restore(form) {
    var text;
    try { text = window.localStorage.getItem(key(form)); } catch (e) { return; }
    if (!text) return;
    var data = JSON.parse(text);
    var differs = Object.keys(data).some(function (name) {
      var field = form.elements[name];
      return field && name !== "revision" && field.value !== data[name];
    });
    if (!differs) {  // what was kept is what the page holds: nothing to restore
      try { window.localStorage.removeItem(key(form)); } catch (e) { /* none */ }
      return;
    }
    Object.keys(data).forEach(function (name) {
      var field = form.elements[name];
      if (field) field.value = data[name];
    });
    status(form, "Restored what you typed here before it was saved: it saves again shortly.");
    schedule(form);
  }

  function save(form) {
    form.dataset.pending = "";
    status(form, "Saving…");
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (body) { return [response.status, body]; });
    }).then(function (answer) {
      var code = answer[0], body = answer[1];
      if (code === 200) {
        form.elements.revision.value = body.revision;
        try { window.localStorage.removeItem(key(form)); } catch (e) { /* none */ }
        status(form, "Saved at " + new Date(body.saved_at).toLocaleTimeString() + ".");
      } else if (code === 409) {
        form.dataset.stale = "1";
        status(form, body.detail + " Your text has not been saved; it is kept in this box.");
      } else if (code === 422) {
        status(form, "Not saved yet: " + body.problems.map(function (p) { return p.message; })
          .join(" "));
      } else {
        status(form, "Not saved: " + (body.detail || "the server refused it") + ".");
      }
    }).catch(function () {
      status(form, "Not saved: no connection. What you typed is kept in this browser and "
        + "saves when you next change the item.");
    });
  }

  function schedule(form) {
    if (form.dataset.stale) return;
    keepLocally(form);
    window.clearTimeout(Number(form.dataset.timer || 0));
    form.dataset.timer = String(window.setTimeout(function () { save(form); }, DELAY));
    status(form, "Not saved yet…");
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    form.addEventListener("input", function () { schedule(form); });
    form.addEventListener("change", function () { schedule(form); });
    // The Save button sends the form itself. The draft is kept until a page shows what it
    // holds (restore() then drops it), so a send that never arrived loses nothing.
    form.addEventListener("submit", function () {
      window.clearTimeout(Number(form.dataset.timer || 0));
      keepLocally(form);
    });
    restore(form);
  });
})();
