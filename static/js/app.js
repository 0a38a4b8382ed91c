/* On every page: the service worker, the outbox badge, the sync triggers, the logout warning,
   the iOS home-screen hint, the small queues kept beside the outbox. The log screen adds
   static/js/log.js on top. */
(function () {
  "use strict";
  var T = self.T247;
  var meta = document.querySelector('meta[name="user-id"]');
  var userId = meta ? Number(meta.content) : null;
  var badge = document.getElementById("sync-badge");
  var FIVE_MINUTES = 5 * 60 * 1000;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    // A page whose load began while the first worker was still installing (the page after the
    // login form) is missed by that worker's clients.claim(): asked again here, or the screen
    // would not work offline until the next page.
    navigator.serviceWorker.ready.then(function (registration) {
      if (!navigator.serviceWorker.controller && registration.active) registration.active.postMessage({ type: "claim" });
    });
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type) window.dispatchEvent(new CustomEvent(data.type, { detail: data.detail }));
    });
  }

  var wordsBlock = document.getElementById("sync-strings");
  var W = wordsBlock ? JSON.parse(wordsBlock.textContent) : {};

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  // {one, other} as the page's language counts them ("1 record", "2 records"; one form in Vietnamese).
  var pluralRules = new Intl.PluralRules(document.documentElement.lang || "vi");
  function plural(forms, count) {
    return forms[pluralRules.select(count)] || forms.other;
  }

  /* The outbox in words, one wording for the badge and the log screen: `counts` of what waits
     by type ({record, household, resident}), the last successful sync `lastIso`. Records are
     what the volunteer counts; new households and people are named only when no record waits
     (else the badge said "all sent" over a household made offline). Short for the top bar ("Đã gửi hết · 06:25",
     "3 bản ghi chờ gửi"), full for the log screen and the badge's label ("Đã gửi hết · đồng bộ
     lúc 06:25 hôm nay"); "hôm qua" or the date when older. Not "0 chờ gửi · 06:25 03-12". */
  function syncWords(counts, lastIso) {
    var last = lastIso ? new Date(lastIso) : null;
    var others = counts.household + counts.resident;
    var n = counts.record || others;
    var words = counts.record ? [W.waiting, W.waitingCount] : [W.waitingNew, W.waitingNewCount];
    var full = [n ? fmt(plural(words[1], n), { n: n }) : W.allSent];
    full.push(last ? fmt(W.lastSync, { when: when(last, false) }) : W.neverSynced);
    var short = n ? fmt(words[0], { n: n }) : last ? W.allSent + " · " + when(last, true) : W.notYet;
    return { short: short, full: full.join(" · ") };
  }

  function when(date, brief) {
    var hour = date.toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" });
    var day = function (d) { return d.toDateString(); };
    var yesterday = new Date(Date.now() - 86400000);
    if (day(date) === day(new Date())) return brief ? hour : fmt(W.today, { time: hour });
    if (day(date) === day(yesterday)) return brief ? W.yesterdayShort : fmt(W.yesterday, { time: hour });
    if (brief) return date.toLocaleDateString("vi-VN", { day: "2-digit", month: "2-digit" });
    return fmt(W.onDay, { time: hour, date: date.toLocaleDateString("vi-VN") });
  }

  async function waiting() {
    if (userId == null) return [];
    return (await T.store.outbox(userId)).filter(function (e) { return e.state !== "rejected" && e.state !== "held"; });
  }

  function countByType(entries) {
    var counts = { record: 0, household: 0, resident: 0 };
    entries.forEach(function (e) { counts[e.item.type] += 1; });
    return counts;
  }

  async function unsentByType() {
    return countByType(userId != null ? await T.store.outbox(userId) : []);
  }

  async function refreshBadge() {
    if (!badge || userId == null) return;
    var counts = await unsentByType();
    var count = counts.record;
    var words = syncWords(counts, await T.store.getMeta("lastSuccess"));
    badge.querySelector("[data-count]").textContent = String(count); // records, for scripts
    badge.querySelector("[data-words]").textContent = words.short;
    badge.title = words.full;
    badge.setAttribute("aria-label", words.full);
    badge.classList.toggle("has-waiting", count + counts.household + counts.resident > 0);
    badge.hidden = false;
    window.dispatchEvent(new CustomEvent("t247:badge", { detail: { count: count } }));
  }

  /* Signed in a moment ago (the page says when): the backoff left by failures before, an
     expired session above all, must not hold back what is saved next. */
  var signedIn = (async function () {
    var stamp = document.querySelector('meta[name="signed-in"]');
    if (userId == null || !stamp || !stamp.content) return;
    if ((await T.store.getMeta("signedIn")) === stamp.content) return;
    await T.sync.resetBackoff();
    await T.store.setMeta("signedIn", stamp.content);
  })().catch(function () {});

  async function sync(force, wait) {
    if (userId == null) return;
    await signedIn;
    if (!navigator.onLine) return;
    await T.sync.run({ userId: userId, force: !!force, wait: !!wait, pull: T.wantsPull !== false && !!T.pullOnSync });
    await refreshBadge();
  }

  /* After a failed round, one retry when the backoff says (5 s, 10 s, 20 s ... 5 min): without
     it the next try waited for the 5-minute tick or a tab switch. Any round that ends, here or in
     the service worker, replaces the timer, so there is never more than one. A 401 is left to the
     5-minute tick and to signing in again: retrying every few seconds cannot help. */
  var retryTimer = null;
  function scheduleRetry(event) {
    var detail = event.detail || {};
    if (detail.phase !== "done" && detail.phase !== "failed") return;
    clearTimeout(retryTimer);
    retryTimer = null;
    if (detail.phase !== "failed" || detail.loginNeeded || typeof detail.nextTry !== "number") return;
    retryTimer = setTimeout(function () {
      retryTimer = null;
      sync(false);
    }, Math.max(0, detail.nextTry - Date.now()));
  }

  /* Ask the browser to send the outbox later even if the tab is closed (Chromium). */
  async function requestBackgroundSync() {
    try {
      var registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register("t247-outbox");
    } catch (e) { /* not supported: the other triggers still send */ }
  }

  function warnOnLogout() {
    var form = document.querySelector("form[data-logout]");
    if (!form) return;
    form.addEventListener("submit", async function (event) {
      if (form.dataset.confirmed) return;
      event.preventDefault();
      var counts = await unsentByType();
      var dialog = document.getElementById("logout-dialog");
      if (counts.record + counts.household + counts.resident && dialog) {
        describeUnsent(dialog.querySelector("[data-unsent]"), counts);
        dialog.showModal();
        dialog.addEventListener("close", async function once() {
          dialog.removeEventListener("close", once);
          if (dialog.returnValue === "export") { await exportUnsent(); return; }
          if (dialog.returnValue !== "keep") return;
          await leave(form, true);
        });
      } else {
        await leave(form, false);
      }
    });
  }

  /* "Còn 1 lượt hỗ trợ và 1 hộ mới chưa gửi lên máy chủ.": records first, as on the badge, then
     the new households and residents that would be lost with them; parts at zero left out. */
  function describeUnsent(element, counts) {
    var text = element.dataset;
    var parts = ["record", "household", "resident"]
      .filter(function (type) { return counts[type] > 0; })
      .map(function (type) { return text[type].replace("%(n)s", counts[type]); });
    var last = parts.pop();
    var what = parts.length ? parts.join(", ") + " " + text.and + " " + last : last;
    element.textContent = text.sentence.replace("%(what)s", what);
  }

  async function leave(form, keepOutbox) {
    // The ward's personal data leaves the phone with the user; kept records wait for them.
    try {
      await T.store.clearCopy(keepOutbox);
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "forget-pages" });
      }
    } catch (e) { /* logging out must never be blocked */ }
    form.dataset.confirmed = "1";
    form.submit();
  }

  async function exportUnsent() {
    var entries = userId == null ? [] : await T.store.outbox(userId);
    var blob = new Blob([JSON.stringify({ exported_at: new Date().toISOString(), items: entries }, null, 2)], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "thanhnien247-chua-gui-" + new Date().toISOString().slice(0, 10) + ".json";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function iosHint() {
    var hint = document.getElementById("ios-hint");
    if (!hint) return;
    // iPadOS Safari passes for a Mac by default; a touch screen gives it away.
    var ios = /iphone|ipad|ipod/i.test(navigator.userAgent) ||
      (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
    var installed = window.navigator.standalone === true || window.matchMedia("(display-mode: standalone)").matches;
    if (ios && !installed && !localStorage.getItem("t247-ios-hint-closed")) {
      hint.hidden = false;
      hint.querySelector("button").addEventListener("click", function () {
        localStorage.setItem("t247-ios-hint-closed", "1");
        hint.hidden = true;
      });
    }
  }

  /* After a page's first sync round (on a slow link the pull comes first): the service worker
     fetches the rest of the app shell and keeps `pages` for use offline. */
  function warmCache(pages) {
    if (!navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then(function (registration) {
      var worker = registration.active;
      if (!worker) return;
      (pages || []).forEach(function (url) { worker.postMessage({ type: "cache-page", url: url }); });
      worker.postMessage({ type: "precache-later" });
    });
  }

  /* Items kept in localStorage under `key` until `url` stores them, besides the outbox: a
     rating (feedback.js), a dossier's result (dossier-result.js). `flush` sends up to 100 with a
     CSRF token when there is signal; the server answers for each by its UUID, and an item leaves
     the phone unless `keep(result)` holds it for the next try. `pending` shows how many wait. */
  function localQueue(options) {
    var sending = false;
    function load() {
      try { return JSON.parse(localStorage.getItem(options.key)) || []; } catch (e) { return []; }
    }
    function save(items) { localStorage.setItem(options.key, JSON.stringify(items)); }
    function showPending() {
      var count = load().length;
      options.pending.textContent = count ? options.label + " " + count : "";
    }
    function add(fields) {
      save(load().concat([Object.assign({ uuid: uuid4() }, fields)]));
    }
    async function flush() {
      var items = load();
      if (!items.length || sending || !navigator.onLine) return showPending();
      sending = true;
      try {
        var tokenAnswer = await fetch("/api/v1/csrf", { credentials: "same-origin" });
        if (!tokenAnswer.ok) return;
        var token = (await tokenAnswer.json()).csrf_token;
        var answer = await fetch(options.url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token },
          body: JSON.stringify({ items: items.slice(0, 100) }),
        });
        if (!answer.ok) return;
        var done = new Set();
        (await answer.json()).results.forEach(function (r) { if (!(options.keep && options.keep(r))) done.add(r.uuid); });
        save(load().filter(function (item) { return !done.has(item.uuid); }));
      } catch (e) {
        /* no signal: kept for later */
      } finally {
        sending = false;
        showPending();
      }
    }
    return { add: add, flush: flush };
  }

  function uuid4() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();  // secure contexts only
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  T.app = { userId: userId, syncWords: syncWords, countByType: countByType, sync: sync, warmCache: warmCache, refreshBadge: refreshBadge, requestBackgroundSync: requestBackgroundSync, exportUnsent: exportUnsent, waiting: waiting, localQueue: localQueue };

  if (userId != null) {
    T.store.setMeta("userId", userId);
    // Coming back online or opening the app tries at once; the timer and tab switches respect
    // the backoff, so a failing server is not hammered.
    window.addEventListener("online", function () { sync(true); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") sync(false);
    });
    setInterval(function () { sync(false); }, FIVE_MINUTES);
    window.addEventListener("t247:sync", refreshBadge);
    window.addEventListener("t247:sync", scheduleRetry);
    // The log screen starts its own first round (with a pull) in static/js/log.js.
    refreshBadge().then(function () {
      if (!document.getElementById("log-app")) sync(true).catch(function () {}).then(function () { warmCache([]); });
    });
  }
  warnOnLogout();
  iosHint();
})();
