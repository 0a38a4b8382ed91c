/* The hand-over rating screen (/feedback/hand-over#record=…&place=…&kind=…): works without a
   network. A rating is kept in localStorage first, then sent to /feedback/api/ratings when there
   is signal (now, when the phone comes back online, or the next time the screen opens); the
   server stores each rating once by its UUID, so sending twice is harmless. */
"use strict";
(function () {
  var S = JSON.parse(document.getElementById("feedback-strings").textContent);
  var form = document.querySelector("form.rating");
  // Stored, or refused for good (malformed): either way a rating leaves the phone.
  var queue = self.T247.app.localQueue({
    key: "t247-feedback-outbox",
    url: "/feedback/api/ratings",
    pending: document.getElementById("fb-pending"),
    label: S.pending,
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var checked = form.querySelector('input[name="rating"]:checked');
    document.getElementById("fb-error").hidden = !!checked;
    if (!checked) return;
    var link = new URLSearchParams(location.hash.slice(1));
    var comment = form.querySelector('textarea[name="comment"]').value.trim();
    queue.add({
      record_uuid: link.get("record") || null,
      place: link.get("place") || "home",
      kind: link.get("kind") || null,
      rating: Number(checked.value),
      comment: comment || null,
      given_at: new Date().toISOString(),
    });
    document.getElementById("fb-ask").hidden = true;
    document.getElementById("fb-thanks").hidden = false;
    queue.flush();
  });

  window.addEventListener("online", queue.flush);
  queue.flush();
})();
