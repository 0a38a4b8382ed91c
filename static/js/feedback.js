/* The hand-over rating screen (/feedback/hand-over#record=…&place=…&kind=…): works without a
   network. A rating is kept in localStorage first, then sent to /feedback/api/ratings when there
   is signal (now, when the phone comes back online, or the next time the screen opens); the
   server stores each rating once by its UUID, so sending twice is harmless. */
"use strict";
(function () {
  var KEY = "t247-feedback-outbox";
  var S = JSON.parse(document.getElementById("feedback-strings").textContent);
  var form = document.querySelector("form.rating");

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(KEY, JSON.stringify(items)); }

  function newUuid() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function showPending() {
    var count = load().length;
    document.getElementById("fb-pending").textContent =
      count ? S.pending + " " + count : "";
  }

  var sending = false;
  async function flush() {
    var items = load();
    if (!items.length || sending) return showPending();
    sending = true;
    try {
      var tokenAnswer = await fetch("/api/v1/csrf", { credentials: "same-origin" });
      if (!tokenAnswer.ok) return;
      var token = (await tokenAnswer.json()).csrf_token;
      var answer = await fetch("/feedback/api/ratings", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ items: items.slice(0, 100) }),
      });
      if (!answer.ok) return;
      // Stored, or refused for good (malformed): either way it leaves the phone.
      var done = new Set((await answer.json()).results.map(function (r) { return r.uuid; }));
      save(load().filter(function (item) { return !done.has(item.uuid); }));
    } catch (e) {
      /* offline: kept for later */
    } finally {
      sending = false;
      showPending();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var checked = form.querySelector('input[name="rating"]:checked');
    document.getElementById("fb-error").hidden = !!checked;
    if (!checked) return;
    var link = new URLSearchParams(location.hash.slice(1));
    var comment = form.querySelector('textarea[name="comment"]').value.trim();
    var items = load();
    items.push({
      uuid: newUuid(),
      record_uuid: link.get("record") || null,
      place: link.get("place") || "home",
      kind: link.get("kind") || null,
      rating: Number(checked.value),
      comment: comment || null,
      given_at: new Date().toISOString(),
    });
    save(items);
    document.getElementById("fb-ask").hidden = true;
    document.getElementById("fb-thanks").hidden = false;
    flush();
  });

  window.addEventListener("online", flush);
  flush();
})();
