/* A filed dossier's result on the log screen, with or without signal: done, returned for more
   papers, or refused, and its day. Kept in localStorage until /dossiers/api/results stores it
   (now, when the phone is back online, after each sync round); results are sent in the order
   they were noted, so "returned" then "done" ends as done. The log screen adds the button to each
   waiting dossier among the follow-ups (static/js/log/followups.js). */
"use strict";
(function () {
  var T = (self.T247 = self.T247 || {});
  var box = document.getElementById("dossier-result-box");
  if (!box) return;
  var S = JSON.parse(document.getElementById("dossier-result-strings").textContent);
  var form = document.getElementById("dossier-result-form");
  var $ = function (id) { return document.getElementById(id); };
  var open = null; // { record, card } being answered
  var queue = T.app.localQueue({
    key: "t247-dossier-results",
    url: "/dossiers/api/results",
    pending: $("dr-pending"),
    label: S.pending,
    // Stored, or refused for good: it leaves the phone. "waiting": its filing is not on the
    // server yet (still in the outbox), so it is sent again after the next sync round.
    keep: function (result) { return result.status === "waiting"; },
  });

  function localDay(date) {
    var d = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
    return d.toISOString().slice(0, 10);
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
    queue.add({
      record_uuid: open.record.uuid,
      result: checked.value,
      result_on: on,
      noted_at: new Date().toISOString(),
    });
    // Done or refused ends the follow-up (as on the server); returned keeps it open.
    if (checked.value !== "returned" && T.store) {
      await T.store.putRecord(Object.assign({}, open.record, { followup: false }));
      open.card.remove();
    }
    box.hidden = true;
    if ($("copy-status")) $("copy-status").textContent = S.saved;
    open = null;
    queue.flush();
  }

  /* The button the log screen puts on a waiting dossier's follow-up card. */
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
  window.addEventListener("online", queue.flush);
  window.addEventListener("t247:sync", function (event) {
    if ((event.detail || {}).phase === "done") queue.flush();
  });
  T.dossierResult = { button: button, flush: queue.flush };
  queue.flush();
})();
