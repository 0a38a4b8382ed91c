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
  var KEEP_SENT = 30 * 24 * 60 * 60 * 1000;
  // Rounds in a row that a batch met a server error (5xx) before it is split to find the item.
  var SPLIT_AFTER = 2;

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

  /* Every answer says which copy of the database it came from (sync/state.py). A new identity,
     or a high-water mark below one seen before, means the server was restored from a backup
     and may have lost what this phone sent since: the kept items go back into the outbox (the
     server answers "duplicate" for what it still has) and the next pull is a full one. */
  async function checkServer(server) {
    if (!server || !server.identity) return false;
    var known = await store.getMeta("server");
    var behind = !!known && (known.identity !== server.identity || server.high_water < known.high_water);
    if (behind) {
      var resent = await store.requeueSent();
      await store.setMeta("cursor", null);
      emit("t247:sync", { phase: "restored", resent: resent });
    }
    if (behind || !known || server.high_water > known.high_water) {
      await store.setMeta("server", { identity: server.identity, high_water: server.high_water });
    }
    return behind;
  }

  async function freshToken() {
    var body = await request("/api/v1/csrf");
    await checkServer(body.server);
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
      var body = await postBatch(items, token);
      return { results: body.results, token: token, server: body.server };
    } catch (error) {
      if (error.status === 400 && error.body && error.body.error === "csrf") {
        token = await freshToken();
        body = await postBatch(items, token);
        return { results: body.results, token: token, server: body.server };
      }
      if (error.status === 413 && entries.length > 1) return halves(sendBatch, entries, token);
      throw error;
    }
  }

  async function halves(send, entries, token) {
    var half = Math.ceil(entries.length / 2);
    var first = await send(entries.slice(0, half), token);
    var second = await send(entries.slice(half), first.token);
    return { results: first.results.concat(second.results), token: second.token, server: second.server || first.server };
  }

  function serverError(error) {
    return !!error && error.status >= 500;
  }

  /* A server error (5xx) is "try later" for the batch, as a lost signal is. When the same batch
     has met one SPLIT_AFTER rounds in a row, one of its items may be what breaks the server:
     the batch is halved until the item is found, the others go through, and the item is held
     on the phone (shown with its reason, sent again by hand, in the export). An item is held
     only if the server answers an empty push meanwhile: a server that is down holds nothing. */
  async function sendOrSplit(entries, token) {
    try {
      return await sendBatch(entries, token);
    } catch (error) {
      if (!serverError(error)) throw error;
      for (var e of entries) {
        e.serverErrors = (e.serverErrors || 0) + 1;
        await store.updateOutbox(e.uuid, { serverErrors: e.serverErrors });
      }
      var ripe = entries.some(function (e) { return e.serverErrors >= SPLIT_AFTER; });
      if (!ripe) throw error;
      if (entries.length > 1) return halves(sendOrSplit, entries, token);
      if (!(await serverAnswers(token))) throw error;
      var held = { uuid: entries[0].uuid, status: "held", reason: "server_error", http: error.status };
      return { results: [held], token: token, server: null };
    }
  }

  async function serverAnswers(token) {
    try {
      await postBatch([], token);
      return true;
    } catch (error) {
      return false;
    }
  }

  async function settle(entry, result) {
    if (result.status === "accepted" || result.status === "duplicate") {
      if (entry.item.type === "record") {
        var record = Object.assign({}, entry.item, { id: result.id, local: true, followup: false });
        await store.putRecord(record);
      }
      await store.keepSent(entry);
      await store.removeOutbox(entry.uuid);
      return "sent";
    }
    var error = { status: result.status, reason: result.reason || result.status, field: result.field || null };
    // Held: the server failed on this item (here, or isolated it: storage_error). Kept, shown
    // with the reason, sent again by hand. Rejected or conflicting: to correct or discard.
    // Neither blocks the others.
    var held = result.status === "held" || result.reason === "storage_error";
    await store.updateOutbox(entry.uuid, { state: held ? "held" : "rejected", error: error });
    return "rejected";
  }

  async function push(userId) {
    await store.pruneSent(Date.now() - KEEP_SENT);
    var now = Date.now();
    var entries = (await store.outbox(userId)).filter(function (e) {
      // "sending" left over from a closed tab is sent again: the server answers duplicates.
      return e.state === "queued" || (e.state === "sending" && now - Date.parse(e.sendingSince || 0) > STALE_SENDING);
    });
    // Nothing to send, no token to fetch: on a 300 ms link that round trip is a tenth of a
    // login. The pull that follows carries the server's identity, so a restore is still noticed.
    if (!entries.length) return { sent: 0, rejected: 0 };
    // Fetched before the first batch: its answer is how a restored server is noticed.
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
        var answer = await sendOrSplit(batch, token);
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
      await checkServer(answer.server);
    }
    return { sent: sent, rejected: rejected };
  }

  /* Held by hand: "Gửi lại" puts it back in the queue with a clean slate. */
  async function retry(uuid) {
    await store.updateOutbox(uuid, { state: "queued", serverErrors: 0, error: null });
  }

  async function pull() {
    var cursor = await store.getMeta("cursor");
    var url = "/api/v1/pull" + (cursor ? "?cursor=" + encodeURIComponent(cursor) : "");
    // The groups held, so the server can add those that entered the scope and name those that left.
    var scope = await store.getMeta("scope");
    if (cursor && Array.isArray(scope)) url += "&scope=" + scope.join(",");
    var restored = false;
    try {
      var copy = await request(url);
      restored = await checkServer(copy.server);
      // A restored server: this delta is from a cursor it may never have reached; start over.
      if (restored && cursor) copy = await request("/api/v1/pull");
      await store.applyPull(copy);
    } catch (error) {
      if (error.status === 400 && cursor) {
        await store.setMeta("cursor", null);
        await store.applyPull(await request("/api/v1/pull"));
      } else throw error;
    }
    return { restored: restored };
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
          // A restore noticed by the pull put what the server lost back in the outbox: resend now.
          if ((await pull()).restored) {
            var again = await push(userId);
            outcome = { sent: outcome.sent + again.sent, rejected: outcome.rejected + again.rejected };
          }
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

  /* A successful sign-in: whatever failed before (an expired session above all) waits no more. */
  async function resetBackoff() {
    await store.setMeta("failures", 0);
    await store.setMeta("nextTry", 0);
    await store.setMeta("loginNeeded", false);
  }

  T.sync = { run: run, pull: pull, push: push, retry: retry, resetBackoff: resetBackoff, delayFor: delayFor, HttpError: HttpError, SPLIT_AFTER: SPLIT_AFTER };
})(self);
