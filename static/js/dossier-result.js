/* A filed dossier's result on the log screen, with or without signal: done, returned for more
   papers, or refused, and its day. Kept in localStorage until /dossiers/api/results stores it
   (now, when the phone is back online, after each sync round); results are sent in the order
   they were noted, so "returned" then "done" ends as done. log.js adds the button to each
   waiting dossier among the follow-ups. */
"use strict";
(function () {
  var T = (self.T247 = self.T247 || {});
  var KEY = "t247-dossier-results";
  var box = document.getElementById("dossier-result-box");
  if (!box) return;
  var S = JSON.parse(document.getElementById("dossier-result-strings").textContent);
  var form = document.getElementById("dossier-result-form");
  var $ = function (id) { return document.getElementById(id); };
  var open = null; // { record, card } being answered

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(KEY, JSON.stringify(items)); }

  function localDay(date) {
    var d = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
    return d.toISOString().slice(0, 10);
  }

  function newUuid() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function showPending() {
    var count = load().length;
    $("dr-pending").textContent = count ? S.pending + " " + count : "";
  }

  var sending = false;
  async function flush() {
    var items = load();
    if (!items.length || sending || !navigator.onLine) return showPending();
    sending = true;
    try {
      var tokenAnswer = await fetch("/api/v1/csrf", { credentials: "same-origin" });
      if (!tokenAnswer.ok) return;
      var token = (await tokenAnswer.json()).csrf_token;
      var answer = await fetch("/dossiers/api/results", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ items: items.slice(0, 100) }),
      });
      if (!answer.ok) return;
      // Stored, or refused for good: it leaves the phone. "waiting": its filing is not on the
      // server yet (still in the outbox), so it is sent again after the next sync round.
      var done = new Set();
      (await answer.json()).results.forEach(function (r) { if (r.status !== "waiting") done.add(r.uuid); });
      save(load().filter(function (item) { return !done.has(item.uuid); }));
    } catch (e) {
      /* no signal: kept for later */
    } finally {
      sending = false;
      showPending();
    }
  }

  function choose(record, card) {
    open = { record: record, card: card };
    var filed = new Date(record.client_time);
    $("dr-what").textContent = S.filedOn + " " + filed.toLocaleDateString("vi-VN") + (record.reason ? " · " + record.reason : "");
    form.reset();
    $("dr-on").min = localDay(filed);
    $("dr-on").max = localDay(new Date());
    $("dr-on").value = $("dr-on").max;
    $("dr-error").hidden = true;
    box.hidden = false;
    box.scrollIntoView();
  }

  async function submit(event) {
    event.preventDefault();
    var checked = form.querySelector('input[name="dossier-result"]:checked');
    var on = $("dr-on").value;
    var problem = !checked ? S.needResult : !on || on < $("dr-on").min || on > $("dr-on").max ? S.needDate : null;
    $("dr-error").textContent = problem || "";
    $("dr-error").hidden = !problem;
    if (problem || !open) return;
    var items = load();
    items.push({
      uuid: newUuid(),
      record_uuid: open.record.uuid,
      result: checked.value,
      result_on: on,
      noted_at: new Date().toISOString(),
    });
    save(items);
    // Done or refused ends the follow-up (as on the server); returned keeps it open.
    if (checked.value !== "returned" && T.store) {
      await T.store.putRecord(Object.assign({}, open.record, { followup: false }));
      open.card.remove();
    }
    box.hidden = true;
    if ($("copy-status")) $("copy-status").textContent = S.saved;
    open = null;
    flush();
  }

  /* The button log.js puts on a waiting dossier's follow-up card. */
  function button(record, card) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "button secondary";
    node.dataset.dossierResult = record.uuid;
    node.textContent = S.button;
    node.addEventListener("click", function () { choose(record, card); });
    return node;
  }

  form.addEventListener("submit", submit);
  form.querySelector("[data-cancel]").addEventListener("click", function () { box.hidden = true; open = null; });
  window.addEventListener("online", flush);
  window.addEventListener("t247:sync", function (event) {
    if ((event.detail || {}).phase === "done") flush();
  });
  T.dossierResult = { button: button, flush: flush };
  flush();
})();
