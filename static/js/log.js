/* The log screen: find a household in the offline copy, say what was done, save to the outbox.
   Works the same online and offline; static/js/app.js sends the outbox. */
(function () {
  "use strict";
  var T = self.T247;
  var root = document.getElementById("log-app");
  var S = JSON.parse(document.getElementById("log-strings").textContent);
  var userId = Number(root.dataset.userId);
  var $ = function (id) { return document.getElementById(id); };
  var state = { household: null, resolves: null, editing: null, lastSave: null };
  var FOLLOWUPS_SHOWN = 10;
  T.pullOnSync = true;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key.indexOf("on") === 0) node.addEventListener(key.slice(2), attrs[key]);
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  /* UUIDv7 (RFC 9562): the phone's clock in milliseconds, then 74 random bits. Items made one
     after another sort together, so the server files each new one at the end of its UUID index
     instead of on a random page (fewer pages written per push: docs/BENCHMARKS.md). A wrong
     clock only changes the order; the random bits keep the UUID unique. */
  function uuid7() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    var ms = Date.now();
    for (var i = 5; i >= 0; i--) { b[i] = ms % 256; ms = Math.floor(ms / 256); }
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function householdName(h) { return h.head_name || S.noName; }

  /* Lists are rebuilt from IndexedDB with awaits in between, and two rebuilds can overlap (one
     sync round ends as another starts, a search per key press). Each rebuild fills its list in
     one go at the end, and only the latest rebuild of a list may. */
  var latest = {};
  function ticket(name) {
    var mine = (latest[name] = (latest[name] || 0) + 1);
    return function () { return latest[name] === mine; };
  }

  async function groupLabel(groupId) {
    var group = await T.store.get("groups", groupId);
    return group ? S.group + " " + group.number : "";
  }

  function householdButton(h, extra, pick) {
    return el("li", { class: "card pick" }, [
      el("button", { type: "button", class: "pick-button", "data-household": h.uuid, onclick: function () { (pick || choose)(h); } }, [
        el("strong", { text: householdName(h) }),
        el("span", { class: "muted", text: h.address + (extra ? " · " + extra : "") }),
      ]),
    ]);
  }

  /* --- the copy, search and recent households ----------------------------------------------- */

  async function showCopyStatus() {
    var counts = await T.store.counts();
    $("copy-status").textContent = counts.households ? fmt(S.copyReady, counts) : (navigator.onLine ? S.copyLoading : S.copyNone);
    $("clear-copy").hidden = !counts.households;
    root.dataset.households = String(counts.households);
  }

  async function fillGroups() {
    var groups = await T.store.all("groups");
    var mine = new Set((await T.store.getMeta("scope")) || []);  // my groups first
    groups.sort(function (a, b) { return (mine.has(b.id) - mine.has(a.id)) || a.number - b.number; });
    [$("hh-group"), $("nh-group")].forEach(function (select, index) {
      var keep = select.value;
      select.querySelectorAll("option[data-group]").forEach(function (o) { o.remove(); });
      groups.forEach(function (g) {
        select.appendChild(el("option", { value: g.id, "data-group": "1", text: S.group + " " + g.number + " – " + g.name }));
      });
      if (keep) select.value = keep;
      if (index === 1 && !keep && $("hh-group").value) select.value = $("hh-group").value;
    });
  }

  async function runSearch() {
    var text = $("hh-search").value;
    var group = Number($("hh-group").value) || null;
    var list = $("results");
    var current = ticket("results");
    if (!text.trim() && !group) {
      list.textContent = "";
      list.hidden = true;
      $("recent").hidden = $("recent-title").hidden = false;
      return;
    }
    $("recent").hidden = $("recent-title").hidden = true;
    list.hidden = false;
    var found = await T.store.search(text, group, 30);
    var items = [];
    for (var h of found.rows) items.push(householdButton(h, await groupLabel(h.group_id)));
    if (found.total > found.rows.length) items.push(el("li", { class: "muted", text: fmt(S.more, { n: found.total - found.rows.length }) }));
    var none = el("li", { class: "card", text: S.noResults });
    if (!current()) return;
    list.replaceChildren.apply(list, items.concat(found.total ? [] : [none]));
    var online = await onlineItems(text, group);
    if (!current() || !online.length) return;
    list.replaceChildren.apply(list, items.concat([el("li", { class: "muted", id: "online-title", text: S.online })], online));
  }

  /* Online, the whole ward is searched too (same match and order as above): households outside
     the phone's copy follow its own, and the one chosen stays on the phone for the day. */
  async function onlineItems(text, group) {
    if (!navigator.onLine || T.store.normalize(text).length < 2) return [];
    var answer;
    try {
      var response = await fetch("/api/v1/households/search?q=" + encodeURIComponent(text), { credentials: "same-origin", cache: "no-store" });
      if (!response.ok || response.redirected) return [];
      answer = await response.json();
    } catch (e) {
      return [];
    }
    var items = [];
    for (var h of answer.households) {
      if ((group && h.group_id !== group) || (await T.store.get("households", h.uuid))) continue;
      var people = answer.residents.filter(function (r) { return r.household_uuid === h.uuid; });
      items.push(householdButton(h, await groupLabel(h.group_id), pickOnline(people)));
    }
    return items;
  }

  function pickOnline(people) {
    return async function (h) {
      await T.store.putLookup(h, people);
      await showCopyStatus();
      choose(await T.store.get("households", h.uuid));
    };
  }

  async function clearCopy() {
    if (!window.confirm(fmt(S.confirmClear, await T.store.counts()))) return;
    await T.store.clearHouseholds();
    await refreshAll();
  }

  /* Recent: this volunteer's latest records, sent or still in the outbox, one line per household. */
  async function renderRecent() {
    var records = (await T.store.all("records")).filter(function (r) { return !r.followup || r.local; });
    (await T.store.outbox(userId)).forEach(function (e) { if (e.item.type === "record") records.push(e.item); });
    records.sort(function (a, b) { return a.client_time < b.client_time ? 1 : -1; });
    var current = ticket("recent");
    var seen = new Set();
    var list = $("recent");
    var items = [];
    for (var r of records) {
      if (seen.has(r.household_uuid) || seen.size >= 8) continue;
      var h = await T.store.get("households", r.household_uuid);
      if (!h) continue;
      seen.add(h.uuid);
      items.push(withRepeatButton(householdButton(h, S.kinds[r.kind]), h, r));
    }
    if (!current()) return;
    list.replaceChildren.apply(list, items);
    $("recent-title").hidden = list.hidden = !seen.size || !!$("hh-search").value;
  }

  /* "Như lần trước": the same household, the same kind, outcome and place, nobody ticked yet;
     for the next person of a household just helped, choose them and save (issue 16: a repeat
     log in 5 taps from the home screen). */
  function withRepeatButton(item, h, r) {
    var preset = { kind: r.kind, outcome: r.outcome, reason: r.reason, place: r.place, procedure_id: r.procedure_id, mode: r.mode, repeat: true };
    item.appendChild(el("button", { type: "button", class: "button secondary repeat", "data-repeat": h.uuid, text: S.repeat,
      "aria-label": S.repeat + ": " + householdName(h) + " · " + S.kinds[r.kind], onclick: function () { choose(h, preset); } }));
    return item;
  }

  /* Mine first (what I left waiting), then the oldest; a ward may have hundreds, listed in full
     with filters on /follow-ups. Before the first copy has arrived nothing is known: "loading",
     never "nothing is waiting". */
  function mineFirst(a, b) {
    var me = root.dataset.userName;
    var mine = function (r) { return r.local || r.volunteer === me ? 0 : 1; };
    return (mine(a) - mine(b)) || (a.client_time < b.client_time ? -1 : a.client_time > b.client_time ? 1 : 0);
  }

  async function renderFollowups() {
    var list = $("followups");
    var current = ticket("followups");
    var items = [];
    var rows = (await T.store.all("records")).filter(function (r) { return r.followup; });
    var pulled = await T.store.getMeta("pulledAt");
    rows.sort(mineFirst);
    for (var r of rows.slice(0, FOLLOWUPS_SHOWN)) {
      var h = await T.store.get("households", r.household_uuid);
      if (!h) continue;
      var item = el("li", { class: "card" }, [
        el("div", {}, [
          el("strong", { text: S.kinds[r.kind] + " · " + S.outcomes[r.outcome] }),
          el("span", { class: "muted", text: householdName(h) + " · " + h.address }),
          el("span", { class: "muted", text: (r.reason || "") + (r.volunteer ? " · " + r.volunteer : "") }),
        ]),
        el("button", { type: "button", class: "button", text: S.resolve, onclick: resolveFollowup.bind(null, r) }),
      ]);
      addDossierResult(item, r);
      items.push(item);
    }
    if (!rows.length && pulled) items.push(el("li", { class: "card", "data-empty": "none", text: S.noFollowups }));
    if (!rows.length && !pulled) items.push(el("li", { class: "card", "data-empty": "loading", text: navigator.onLine ? S.followupsLoading : S.followupsUnknown }));
    if (rows.length > FOLLOWUPS_SHOWN) {
      var more = fmt(S.moreFollowups, { n: rows.length - FOLLOWUPS_SHOWN });
      items.push(el("li", { class: "muted" }, [el("a", { href: "/follow-ups", text: more })]));
    }
    if (current()) list.replaceChildren.apply(list, items);
  }

  /* A waiting dossier's result (done, returned, refused), offline too: static/js/dossier-result.js. */
  function addDossierResult(card, record) {
    if (T.dossierResult && record.kind === "dossier" && record.outcome === "pending") card.appendChild(T.dossierResult.button(record, card));
  }

  /* --- new household and new resident --------------------------------------------------- */

  function toggleConsent() {
    document.querySelectorAll("#household-form .consent-only").forEach(function (f) { f.hidden = !$("nh-consent").checked; });
  }

  function showError(id, message) { $(id).textContent = message || ""; $(id).hidden = !message; }

  async function saveHousehold(event) {
    event.preventDefault();
    var consent = $("nh-consent").checked;
    var item = {
      type: "household",
      uuid: uuid7(),
      group_id: Number($("nh-group").value),
      address: $("nh-address").value.trim(),
      head_name: consent ? $("nh-head").value.trim() || null : null,
      phone: consent ? $("nh-phone").value.trim() || null : null,
      consent: consent,
    };
    if (!item.group_id || !item.address) return showError("nh-error", S.needAddress);
    if (consent && !item.head_name) return showError("nh-error", S.needHead);
    showError("nh-error", "");
    await T.store.enqueue(item, userId, S.types.household + ": " + item.address);
    var local = Object.assign({ id: null, local: true }, item);
    delete local.type;
    await T.store.addLocal("households", local);
    $("household-form").reset();
    $("household-form").hidden = true;
    afterQueue();
    choose(local);
  }

  /* The new person's fields stay open under the household's people: typed in and saved with
     the record, or added first with "Thêm" (several people). Either way they end up ticked. */
  function residentTyped() {
    return $("nr-year").value !== "" || (!$("nr-name").parentNode.hidden && $("nr-name").value.trim() !== "");
  }

  async function addTypedResident() {
    var h = state.household;
    var year = Number($("nr-year").value);
    var name = h.consent ? $("nr-name").value.trim() : "";
    if (!(year >= 1900 && year <= new Date().getFullYear())) { showError("nr-error", S.needYear); return null; }
    if (h.consent && !name) { showError("nr-error", S.needName); return null; }
    showError("nr-error", "");
    var item = { type: "resident", uuid: uuid7(), household_uuid: h.uuid, full_name: name || null, birth_year: year };
    await T.store.enqueue(item, userId, S.types.resident + ": " + (name || year));
    await T.store.addLocal("residents", { uuid: item.uuid, household_uuid: h.uuid, full_name: item.full_name, birth_year: year, eid_level: 0 });
    $("nr-name").value = $("nr-year").value = "";
    await renderResidents(tickedResidents().concat([item.uuid]));
    return item.uuid;
  }

  async function saveResident() {
    if (await addTypedResident()) afterQueue();
  }

  function tickedResidents() {
    return Array.from(document.querySelectorAll('input[name="resident"]:checked')).map(function (i) { return i.value; });
  }

  /* --- the record form ------------------------------------------------------------------- */

  async function renderResidents(checked) {
    var box = $("residents");
    var current = ticket("residents");
    var residents = await T.store.residentsOf(state.household.uuid);
    if (!current()) return;
    box.textContent = "";
    residents.forEach(function (r, index) {
      var input = el("input", { type: "checkbox", name: "resident", value: r.uuid, "data-name": r.full_name || S.bornIn + " " + r.birth_year });
      input.checked = checked.indexOf(r.uuid) >= 0;
      var label = (r.full_name || "#" + (index + 1)) + " · " + S.bornIn + " " + r.birth_year;
      box.appendChild(el("label", { class: "chip" }, [input, el("span", { text: label })]));
    });
  }

  async function choose(h, preset) {
    preset = preset || {};
    state.household = h;
    state.resolves = preset.resolves || null;
    hideSavedNote();
    $("nr-name").value = $("nr-year").value = "";
    showError("nr-error", "");
    $("pick-household").hidden = true;
    $("household-form").hidden = true;
    $("record-form").hidden = false;
    $("chosen-name").textContent = householdName(h);
    $("chosen-address").textContent = h.address + " · " + (await groupLabel(h.group_id));
    document.querySelectorAll("#household-form .consent-only, #resident-form .consent-only").forEach(function (f) { f.hidden = !h.consent; });
    $("resolving").hidden = !state.resolves;
    if (state.resolves) $("resolving").textContent = fmt(S.resolving, { what: S.kinds[preset.kind] || "" });
    $("repeating").hidden = !preset.repeat;
    await renderResidents(preset.resident_uuids || []);
    setRadio("kind", preset.kind || null);
    setRadio("outcome", preset.outcome || null);
    setRadio("mode", preset.mode || null);
    setRadio("place", preset.place || (await T.store.getMeta("lastPlace")) || "home");
    $("procedure").value = preset.procedure_id || "";
    $("dossier-code").value = preset.dossier_code || "";
    $("reason").value = preset.reason || "";
    $("minutes").value = preset.minutes != null ? preset.minutes : "";
    showError("record-error", "");
    updateSections();
    window.scrollTo(0, 0);
  }

  function setRadio(name, value) {
    document.querySelectorAll('input[name="' + name + '"]').forEach(function (input) { input.checked = input.value === value; });
  }

  function radio(name) {
    var input = document.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : null;
  }

  function updateSections() {
    $("dossier").hidden = radio("kind") !== "dossier";
    $("reason-box").hidden = !radio("outcome") || radio("outcome") === "done";
  }

  async function fillProcedures() {
    var select = $("procedure");
    var procedures = await T.store.all("procedures");
    select.textContent = "";
    select.appendChild(el("option", { value: "", text: "—" }));
    procedures.filter(function (p) { return p.active; }).forEach(function (p) {
      select.appendChild(el("option", { value: p.id, "data-mode": p.mode, text: p.name }));
    });
  }

  async function currentShift() {
    var now = Date.now();
    var margin = 30 * 60 * 1000;
    var shifts = await T.store.all("shifts");
    var match = shifts.find(function (s) { return Date.parse(s.starts_at) - margin <= now && now <= Date.parse(s.ends_at) + margin; });
    return match ? match.id : null;
  }

  function closeForm() {
    state.household = null;
    state.editing = null;
    $("record-form").hidden = true;
    $("pick-household").hidden = false;
    $("hh-search").value = "";
    runSearch();
    renderRecent();
  }

  async function saveRecord(event) {
    event.preventDefault();
    var kind = radio("kind");
    var outcome = radio("outcome");
    var place = radio("place");
    var reason = $("reason").value.trim();
    var procedure = Number($("procedure").value) || null;
    var problem = !state.household ? S.needHousehold : !kind ? S.needKind : !outcome ? S.needOutcome
      : outcome !== "done" && !reason ? S.needReason : kind === "dossier" && !procedure ? S.needProcedure
      : !place ? S.needPlace : null;
    if (problem) return showError("record-error", problem);
    if (residentTyped() && !(await addTypedResident())) return showError("record-error", S.checkNewPerson);
    showError("record-error", "");
    var minutes = $("minutes").value === "" ? null : Number($("minutes").value);
    var item = {
      type: "record",
      uuid: state.editing || uuid7(),
      household_uuid: state.household.uuid,
      resident_uuids: tickedResidents(),
      kind: kind,
      outcome: outcome,
      reason: outcome === "done" ? null : reason,
      place: place,
      shift_id: place === "desk" ? await currentShift() : null,
      minutes: minutes,
      client_time: new Date().toISOString(),
    };
    if (kind === "dossier") {
      item.procedure_id = procedure;
      item.mode = radio("mode");
      item.dossier_code = $("dossier-code").value.trim() || null;
    }
    if (state.resolves) item.resolves = state.resolves;
    await T.store.enqueue(item, userId, householdName(state.household) + " · " + S.kinds[kind]);
    await T.store.setMeta("lastPlace", place);
    var who = savedWho();
    closeForm();
    showSavedNote(item, who);
    offerRating(item);
    afterQueue();
  }

  /* --- what was just saved, and its undo ---------------------------------------------------- */

  /* The people ticked, or the household when nobody was. */
  function savedWho() {
    var names = Array.from(document.querySelectorAll('input[name="resident"]:checked')).map(function (i) { return i.dataset.name; });
    return names.length ? names.join(", ") : householdName(state.household);
  }

  /* Shown at the top of the screen (scrolled to), focused so a screen reader reads it, and kept
     until closed or the next household is chosen; what it says about sending follows the outbox. */
  function showSavedNote(item, who) {
    state.lastSave = { uuid: item.uuid, undone: false };
    var note = $("saved-note");
    note.hidden = false;
    $("saved-what").textContent = fmt(S.savedWhat, { who: who, what: S.kinds[item.kind] + " · " + S.outcomes[item.outcome] });
    window.scrollTo(0, 0);
    note.focus();
    updateSavedNote();
  }

  function hideSavedNote() {
    state.lastSave = null;
    $("saved-note").hidden = true;
  }

  async function updateSavedNote() {
    var saved = state.lastSave;
    if (!saved) return;
    var onPhone = !saved.undone && !!(await T.store.get("outbox", saved.uuid));
    if (state.lastSave !== saved) return;
    $("saved-note").dataset.state = saved.undone ? "undone" : onPhone ? "on-phone" : "sent";
    $("saved-state").textContent = saved.undone ? S.undone : onPhone ? S.savedOnPhone : S.savedSent;
    $("saved-undo").hidden = !onPhone;
    $("saved-records").hidden = saved.undone || onPhone;
  }

  /* Undone only while the record is still on the phone. Under the sync lock: a round that has
     already read the outbox would otherwise send it anyway; after that round it is either gone
     (sent: no undo, said so) or still here. */
  async function undoLastSave() {
    var saved = state.lastSave;
    if (!saved || saved.undone) return;
    $("saved-undo").disabled = true;
    var remove = async function () {
      if (!(await T.store.get("outbox", saved.uuid))) return false;
      await T.store.removeOutbox(saved.uuid);
      return true;
    };
    var removed = navigator.locks ? await navigator.locks.request("t247-sync", remove) : await remove();
    $("saved-undo").disabled = false;
    saved.undone = removed;
    if (removed) $("rate-link").hidden = true;
    await updateSavedNote();
    $("saved-note").focus();
    await renderOutbox();
    await renderRecent();
    await T.app.refreshBadge();
  }

  /* After helping: a link to hand the phone over for a rating (feedback/, works offline). */
  function offerRating(item) {
    var link = $("rate-link");
    if (!link) return;
    link.href = "/feedback/hand-over#" + new URLSearchParams({ record: item.uuid, place: item.place, kind: item.kind });
    link.hidden = false;
  }

  /* Every save: keep storage from eviction (asked once), wake Background Sync, try to send now. */
  async function afterQueue() {
    if (navigator.storage && navigator.storage.persist && !(await T.store.getMeta("persistAsked"))) {
      await T.store.setMeta("persistAsked", true);
      try { await navigator.storage.persist(); } catch (e) { /* the browser decides */ }
    }
    await renderOutbox();
    await T.app.refreshBadge();
    T.app.requestBackgroundSync();
    T.app.sync(false, true);
  }

  /* --- the outbox ---------------------------------------------------------------------- */

  async function renderOutbox() {
    var entries = await T.store.outbox(userId);
    $("outbox-count").textContent = String(entries.filter(function (e) { return e.item.type === "record"; }).length);
    var list = $("outbox-list");
    list.textContent = "";
    entries.forEach(function (e) {
      var reason = e.error ? (S.reasons[e.error.reason] || e.error.reason) + (e.error.field ? " (" + e.error.field + ")" : "") : "";
      var actions = el("div", { class: "actions" });
      if (e.state === "held") {
        actions.appendChild(el("button", { type: "button", class: "button secondary", text: S.retry, "data-retry": "", onclick: retryEntry.bind(null, e) }));
      }
      if (e.state === "rejected" || e.state === "held") {
        if (e.item.type === "record") actions.appendChild(el("button", { type: "button", class: "button secondary", text: S.fix, onclick: fixEntry.bind(null, e) }));
        actions.appendChild(el("button", { type: "button", class: "button danger", text: S.discard, onclick: discardEntry.bind(null, e) }));
      }
      list.appendChild(el("li", { class: "card outbox-" + e.state, "data-state": e.state }, [
        el("div", {}, [
          el("strong", { text: e.label || S.types[e.item.type] }),
          el("span", { class: "muted", text: S.states[e.state] + (reason ? ": " + reason : "") }),
        ]),
        actions,
      ]));
    });
    await describeOutbox(entries);
    await showStorage();
  }

  /* In words, as on the badge (static/js/app.js): "Đã gửi hết · đồng bộ lúc 06:25 hôm nay". */
  async function describeOutbox(entries) {
    var records = entries.filter(function (e) { return e.item.type === "record"; }).length;
    $("last-sync").textContent = T.app.syncWords(records || entries.length, await T.store.getMeta("lastSuccess")).full;
  }

  async function fixEntry(entry) {
    var h = await T.store.get("households", entry.item.household_uuid);
    if (!h) return;
    await choose(h, entry.item);
    state.editing = entry.uuid; // saving replaces the rejected item, same UUID
  }

  /* A held item, sent again by hand (the server may have been mended meanwhile). */
  async function retryEntry(entry) {
    await T.sync.retry(entry.uuid);
    await renderOutbox();
    T.app.sync(true);
  }

  async function discardEntry(entry) {
    if (!confirm(S.confirmDiscard)) return;
    await T.store.removeOutbox(entry.uuid);
    renderOutbox();
    T.app.refreshBadge();
  }

  async function resolveFollowup(record) {
    var h = await T.store.get("households", record.household_uuid);
    if (!h) return;
    choose(h, { kind: record.kind, procedure_id: record.procedure_id, mode: record.mode, resident_uuids: record.resident_uuids, resolves: record.uuid });
  }

  async function showStorage() {
    if (!navigator.storage || !navigator.storage.estimate) return;
    var estimate = await navigator.storage.estimate();
    var persisted = navigator.storage.persisted ? await navigator.storage.persisted() : false;
    // What it means for the volunteer: room left, and whether the browser may clear it.
    var mb = function (n) { return (n / 1048576).toFixed(1); };
    var share = estimate.quota ? (estimate.usage || 0) / estimate.quota : 0;
    var room = share < 0.8 ? S.storageRoom : S.storageFull;
    $("storage-use").textContent = fmt(room, { used: mb(estimate.usage || 0), quota: mb(estimate.quota || 0) }) + (persisted ? " " + S.persisted : "");
  }

  async function refreshAll() {
    await fillGroups();
    await fillProcedures();
    await showCopyStatus();
    await renderRecent();
    await renderFollowups();
    await renderOutbox();
    await updateSavedNote();
    await T.app.refreshBadge();
  }

  async function openFromHash() {
    var match = /resolve=([0-9a-f-]{36})/.exec(location.hash);
    if (match) {
      var record = await T.store.get("records", match[1]);
      if (record) { history.replaceState(null, "", location.pathname); resolveFollowup(record); }
      return;
    }
    await openHouseholdFromHash();
  }

  /* From the household page: "#household=<uuid>&q=<name>". On the phone, its form opens at once;
     otherwise the name is searched (the whole ward, online) and the volunteer picks it. */
  async function openHouseholdFromHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    var uuid = params.get("household");
    if (!uuid || !/^[0-9a-f-]{36}$/.test(uuid)) return;
    var h = await T.store.get("households", uuid);
    if (h) {
      history.replaceState(null, "", location.pathname);
      return choose(h);
    }
    if ($("hh-search").value || !params.get("q")) return;
    $("hh-search").value = params.get("q").slice(0, 100);
    await runSearch();
  }

  function wire() {
    var timer = null;
    $("hh-search").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(runSearch, 120); });
    $("hh-group").addEventListener("change", runSearch);
    $("new-household").addEventListener("click", function () {
      hideSavedNote();
      $("household-form").hidden = false;
      $("nh-group").value = $("hh-group").value || $("nh-group").value;
      toggleConsent();
      $("nh-address").focus();
    });
    $("nh-consent").addEventListener("change", toggleConsent);
    $("household-form").addEventListener("submit", saveHousehold);
    $("household-form").querySelector("[data-cancel]").addEventListener("click", function () { $("household-form").hidden = true; });
    $("change-household").addEventListener("click", closeForm);
    $("nr-save").addEventListener("click", saveResident);
    $("record-form").addEventListener("change", function (event) {
      if (event.target.id === "procedure") {
        var option = event.target.selectedOptions[0];
        if (option && option.dataset.mode) setRadio("mode", option.dataset.mode);
      }
      updateSections();
    });
    $("record-form").addEventListener("submit", saveRecord);
    $("sync-now").addEventListener("click", function () { T.app.sync(true); });
    $("export-unsent").addEventListener("click", function () { T.app.exportUnsent(); });
    $("clear-copy").addEventListener("click", clearCopy);
    $("saved-undo").addEventListener("click", undoLastSave);
    $("saved-close").addEventListener("click", hideSavedNote);
    window.addEventListener("t247:sync", async function (event) {
      var detail = event.detail || {};
      $("login-needed").hidden = !(detail.loginNeeded || (await T.store.getMeta("loginNeeded")));
      if (detail.phase === "sent" || detail.phase === "done" || detail.phase === "failed") refreshAll();
    });
    window.addEventListener("hashchange", openFromHash);
  }

  async function start() {
    wire();
    await refreshAll();
    $("login-needed").hidden = !(await T.store.getMeta("loginNeeded"));
    await openFromHash();
    root.dataset.ready = "1";
    try {
      if (navigator.onLine) {
        await T.app.sync(true);
        await refreshAll();
        await openFromHash();
      }
    } finally {
      // Kept for offline use after the first pull, which has the slow link to itself (app.js).
      T.app.warmCache([location.pathname, "/feedback/hand-over"]);
    }
  }

  start();
})();
