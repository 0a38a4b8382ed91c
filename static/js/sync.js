/* Sending the outbox and pulling the ward copy. Runs in pages and in the service worker
   (Background Sync), one at a time thanks to a Web Lock where the browser has them. */
(function (root) {
  "use strict";
  var T = (root.T247 = root.T247 || {});
  var store = T.store;
  var BATCH = 100;
  var BASE_DELAY = 5000;
  var MAX_DELAY = 5 * 60 * 1000;
  var STALE_SENDING = 60 * 1000;

  function emit(name, detail) {
    if (root.document) root.dispatchEvent(new CustomEvent(name, { detail: detail || {} }));
    else if (root.clients) {
      root.clients.matchAll({ type: "window" }).then(function (list) {
        list.forEach(function (c) { c.postMessage({ type: name, detail: detail || {} }); });
      });
    }
  }

  function withLock(fn, wait) {
    if (root.navigator && root.navigator.locks) {
      return root.navigator.locks.request("t247-sync", { ifAvailable: !wait }, function (lock) {
        return lock ? fn() : { skipped: true };
      });
    }
    return fn();
  }

  class HttpError extends Error {
    constructor(status, body) {
      super("HTTP " + status);
      this.status = status;
      this.body = body || {};
    }
  }

  async function request(url, options) {
    var response = await fetch(url, Object.assign({ credentials: "same-origin", cache: "no-store" }, options));
    var body = null;
    if ((response.headers.get("Content-Type") || "").indexOf("json") >= 0) {
      try { body = await response.json(); } catch (e) { body = null; }
    }
    // A redirect to the login page would be HTML: never take it for success.
    if (!response.ok || response.redirected || body === null) throw new HttpError(response.status, body);
    return body;
  }

  async function freshToken() {
    var body = await request("/api/v1/csrf");
    return body.csrf_token;
  }

  async function postBatch(items, token) {
    return request("/api/v1/push", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ items: items }),
    });
  }

  /* Sends one batch; a CSRF failure gets one fresh token and one retry, a 413 halves the batch. */
  async function sendBatch(entries, token) {
    var items = entries.map(function (e) { return e.item; });
    try {
      return { results: (await postBatch(items, token)).results, token: token };
    } catch (error) {
      if (error.status === 400 && error.body && error.body.error === "csrf") {
        token = await freshToken();
        return { results: (await postBatch(items, token)).results, token: token };
      }
      if (error.status === 413 && entries.length > 1) {
        var half = Math.ceil(entries.length / 2);
        var first = await sendBatch(entries.slice(0, half), token);
        var second = await sendBatch(entries.slice(half), first.token);
        return { results: first.results.concat(second.results), token: second.token };
      }
      throw error;
    }
  }

  async function settle(entry, result) {
    if (result.status === "accepted" || result.status === "duplicate") {
      if (entry.item.type === "record") {
        var record = Object.assign({}, entry.item, { id: result.id, local: true, followup: false });
        await store.putRecord(record);
      }
      await store.removeOutbox(entry.uuid);
      return "sent";
    }
    // Rejected or conflicting: kept, shown with the server's reason, never blocking the others.
    await store.updateOutbox(entry.uuid, {
      state: "rejected",
      error: { status: result.status, reason: result.reason || result.status, field: result.field || null },
    });
    return "rejected";
  }

  async function push(userId) {
    var now = Date.now();
    var entries = (await store.outbox(userId)).filter(function (e) {
      // "sending" left over from a closed tab is sent again: the server answers duplicates.
      return e.state === "queued" || (e.state === "sending" && now - Date.parse(e.sendingSince || 0) > STALE_SENDING);
    });
    if (!entries.length) return { sent: 0, rejected: 0 };
    var token = await freshToken();
    var sent = 0;
    var rejected = 0;
    // Households and residents first: records refer to them.
    var order = { household: 0, resident: 1, record: 2 };
    entries.sort(function (a, b) { return order[a.item.type] - order[b.item.type]; });
    for (var i = 0; i < entries.length; i += BATCH) {
      var batch = entries.slice(i, i + BATCH);
      var since = new Date().toISOString();
      for (var e of batch) await store.updateOutbox(e.uuid, { state: "sending", sendingSince: since, attempts: (e.attempts || 0) + 1 });
      try {
        var answer = await sendBatch(batch, token);
        token = answer.token;
      } catch (error) {
        for (var back of batch) await store.updateOutbox(back.uuid, { state: "queued" });
        throw error;
      }
      var byUuid = {};
      answer.results.forEach(function (r) { if (r.uuid) byUuid[r.uuid] = r; });
      for (var entry of batch) {
        var result = byUuid[entry.uuid] || { status: "rejected", reason: "invalid_field", field: "uuid" };
        if ((await settle(entry, result)) === "sent") sent += 1;
        else rejected += 1;
      }
    }
    return { sent: sent, rejected: rejected };
  }

  async function pull() {
    var cursor = await store.getMeta("cursor");
    var url = "/api/v1/pull" + (cursor ? "?cursor=" + encodeURIComponent(cursor) : "");
    // The groups held, so the server can add those that entered the scope and name those that left.
    var scope = await store.getMeta("scope");
    if (cursor && Array.isArray(scope)) url += "&scope=" + scope.join(",");
    try {
      await store.applyPull(await request(url));
    } catch (error) {
      if (error.status === 400 && cursor) {
        await store.setMeta("cursor", null);
        await store.applyPull(await request("/api/v1/pull"));
      } else throw error;
    }
  }

  function delayFor(failures) {
    return Math.min(MAX_DELAY, BASE_DELAY * Math.pow(2, Math.max(0, failures - 1)));
  }

  /* One round: send what waits, then refresh the copy. `force` ignores the backoff (button);
     `force` and `wait` queue behind a round in progress instead of skipping it: a record saved
     while a round runs is not in that round's batch. */
  async function run(options) {
    options = options || {};
    var userId = options.userId != null ? options.userId : await store.getMeta("userId");
    if (userId == null) return { skipped: true };
    var failures = (await store.getMeta("failures")) || 0;
    var nextTry = (await store.getMeta("nextTry")) || 0;
    if (!options.force && failures && Date.now() < nextTry) return { waiting: nextTry };
    return withLock(async function () {
      emit("t247:sync", { phase: "start" });
      try {
        var outcome = await push(userId);
        // The server took a push: the session is good again, whatever the pull says next.
        if (outcome.sent || outcome.rejected) await store.setMeta("loginNeeded", false);
        if (options.pull !== false) {
          // The badge drops as soon as the server has the records, not after the ward copy.
          emit("t247:sync", Object.assign({ phase: "sent" }, outcome));
          await pull();
        }
        await store.setMeta("failures", 0);
        await store.setMeta("loginNeeded", false);
        await store.setMeta("lastSuccess", new Date().toISOString());
        emit("t247:sync", Object.assign({ phase: "done" }, outcome));
        return outcome;
      } catch (error) {
        var status = error && error.status;
        if (status === 401) await store.setMeta("loginNeeded", true);
        var count = failures + 1;
        var next = Date.now() + delayFor(count);
        await store.setMeta("failures", count);
        await store.setMeta("nextTry", next);
        emit("t247:sync", { phase: "failed", status: status || 0, loginNeeded: status === 401, nextTry: next });
        return { failed: true, status: status || 0 };
      }
    }, !!options.force || !!options.wait);
  }

  T.sync = { run: run, pull: pull, push: push, delayFor: delayFor, HttpError: HttpError };
})(self);
