/* The phone's IndexedDB: the ward's offline copy and the outbox. Loaded by pages and by the
   service worker (importScripts), so it uses only globals: `idb` (vendored) and `self`. */
(function (root) {
  "use strict";
  var T = (root.T247 = root.T247 || {});
  var DB_NAME = "thanhnien247";
  var DB_VERSION = 2;
  var dbPromise = null;

  function open() {
    if (!dbPromise) {
      dbPromise = root.idb.openDB(DB_NAME, DB_VERSION, {
        upgrade: function (db, oldVersion) {
          if (oldVersion < 1) {
            db.createObjectStore("meta");
            db.createObjectStore("groups", { keyPath: "id" });
            db.createObjectStore("procedures", { keyPath: "id" });
            db.createObjectStore("shifts", { keyPath: "id" });
            db.createObjectStore("households", { keyPath: "uuid" });
            var residents = db.createObjectStore("residents", { keyPath: "uuid" });
            residents.createIndex("household", "household_uuid");
            db.createObjectStore("records", { keyPath: "uuid" });
            var outbox = db.createObjectStore("outbox", { keyPath: "uuid" });
            outbox.createIndex("user", "user_id");
          }
          if (oldVersion < 2) {
            // What the server accepted, kept 30 days in case it is restored from a backup.
            db.createObjectStore("sent", { keyPath: "uuid" });
          }
        },
        // Another tab still has the old version open: let it go, it reopens on next use.
        blocking: function () { dbPromise.then(function (db) { db.close(); }); dbPromise = null; },
      });
    }
    return dbPromise;
  }

  /* Lower case, no diacritics, đ → d: the same rule as core.text.normalize on the server. */
  function normalize(text) {
    if (!text) return "";
    return String(text)
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .join(" ");
  }

  function searchText(household, residents) {
    var parts = [household.head_name, household.address, household.phone];
    residents.forEach(function (r) { parts.push(r.full_name); });
    return normalize(parts.filter(Boolean).join(" "));
  }

  async function getMeta(key) {
    return (await open()).get("meta", key);
  }

  async function setMeta(key, value) {
    return (await open()).put("meta", value, key);
  }

  /* Residents come inside their household's entry when the household is in the answer too
     (sync/pull.py), else in `copy.residents`: one list, each with its household's UUID. */
  function incomingResidents(copy) {
    var all = copy.residents.slice();
    copy.households.forEach(function (h) {
      (h.residents || []).forEach(function (r) { r.household_uuid = h.uuid; all.push(r); });
      delete h.residents;
    });
    return all;
  }

  /* Stores a pull answer: a full copy replaces everything, a delta is merged by UUID. */
  async function applyPull(copy) {
    var incoming = incomingResidents(copy);
    var db = await open();
    var stores = ["meta", "groups", "procedures", "shifts", "households", "residents", "records"];
    // Relaxed: no flush to disk at commit. A copy lost to a power cut with its cursor (one
    // transaction) is simply pulled again; the outbox is never written here.
    var tx = db.transaction(stores, "readwrite", { durability: "relaxed" });
    var put = function (name, rows) { rows.forEach(function (row) { tx.objectStore(name).put(row); }); };
    ["groups", "procedures", "shifts"].forEach(function (name) { tx.objectStore(name).clear(); });
    if (copy.full) {
      tx.objectStore("households").clear();
      tx.objectStore("residents").clear();
    }
    put("groups", copy.groups);
    put("procedures", copy.procedures);
    put("shifts", copy.shifts || []);
    var residents = tx.objectStore("residents");
    var households = tx.objectStore("households");
    copy.deleted.residents.forEach(function (uuid) { residents.delete(uuid); });
    incoming.forEach(function (r) { residents.put(r); });
    var outside = new Set(copy.deleted.outside || []);
    var day = today();
    for (var gone of copy.deleted.households) {
      // Out of the copy's groups but found by the online search today: kept for the day.
      if (outside.has(gone) && ((await households.get(gone)) || {}).lookup === day) continue;
      households.delete(gone);
      var orphans = await residents.index("household").getAllKeys(gone);
      orphans.forEach(function (key) { residents.delete(key); });
    }
    // The search text covers residents' names too, so it is rebuilt for each household touched:
    // from the answer itself for a full copy (thousands), from the store for a delta (a few).
    var touched = new Set(incoming.map(function (r) { return r.household_uuid; }));
    var fresh = {};
    copy.households.forEach(function (h) { fresh[h.uuid] = h; touched.add(h.uuid); });
    var members = {};
    if (copy.full) {
      incoming.forEach(function (r) { (members[r.household_uuid] = members[r.household_uuid] || []).push(r); });
    }
    for (var uuid of touched) {
      var household = fresh[uuid] || (await households.get(uuid));
      if (!household) continue;
      var people = copy.full ? members[uuid] || [] : await residents.index("household").getAll(uuid);
      household.search = searchText(household, people);
      households.put(household);
    }
    var records = tx.objectStore("records");
    var followupIds = new Set(copy.followups.map(function (r) { return r.uuid; }));
    var recentIds = new Set(copy.recent.map(function (r) { return r.uuid; }));
    var dayAgo = new Date(Date.now() - 86400000).toISOString();
    (await records.getAll()).forEach(function (r) {
      var keep = followupIds.has(r.uuid) || recentIds.has(r.uuid) || (r.local && r.client_time > dayAgo);
      if (!keep) records.delete(r.uuid);
    });
    copy.recent.forEach(function (r) { records.put(Object.assign({}, r, { followup: followupIds.has(r.uuid) })); });
    copy.followups.forEach(function (r) { records.put(Object.assign({}, r, { followup: true })); });
    if (!copy.full) await dropOldLookups(households, residents);
    tx.objectStore("meta").put(copy.cursor, "cursor");
    tx.objectStore("meta").put(copy.scope === undefined ? null : copy.scope, "scope");
    tx.objectStore("meta").put(copy.ward, "ward");
    tx.objectStore("meta").put(new Date().toISOString(), "pulledAt");
    await tx.done;
  }

  /* Households fetched by the online search are the day's only: "lookup" holds that day. */
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  async function dropOldLookups(households, residents) {
    var day = today();
    for (var h of await households.getAll()) {
      if (!h.lookup || h.lookup === day) continue;
      households.delete(h.uuid);
      (await residents.index("household").getAllKeys(h.uuid)).forEach(function (key) { residents.delete(key); });
    }
  }

  /* One household from the online search, with its residents, kept on the phone for the day. */
  async function putLookup(household, people) {
    var db = await open();
    var tx = db.transaction(["households", "residents"], "readwrite");
    var held = await tx.objectStore("households").get(household.uuid);
    if (!held || held.lookup) {
      people.forEach(function (r) { tx.objectStore("residents").put(r); });
      tx.objectStore("households").put(Object.assign({}, household, { search: searchText(household, people), lookup: today() }));
    }
    await tx.done;
  }

  /* The log screen's "clear": households, residents and records leave the phone, the outbox
     stays; the next pull starts again from a full copy of the volunteer's groups. */
  async function clearHouseholds() {
    var db = await open();
    var tx = db.transaction(["meta", "households", "residents", "records"], "readwrite");
    ["households", "residents", "records"].forEach(function (name) { tx.objectStore(name).clear(); });
    tx.objectStore("meta").delete("cursor");
    tx.objectStore("meta").delete("scope");
    await tx.done;
  }

  async function counts() {
    var db = await open();
    return { households: await db.count("households"), residents: await db.count("residents") };
  }

  async function all(name) {
    return (await open()).getAll(name);
  }

  async function get(name, key) {
    return (await open()).get(name, key);
  }

  async function residentsOf(householdUuid) {
    var rows = await (await open()).getAllFromIndex("residents", "household", householdUuid);
    return rows.sort(function (a, b) { return a.birth_year - b.birth_year; });
  }

  /* A household or resident made on the phone is usable at once, before the server has it. */
  async function addLocal(name, row) {
    var db = await open();
    if (name === "households") row.search = searchText(row, []);
    await db.put(name, row);
    if (name === "residents") {
      var household = await db.get("households", row.household_uuid);
      if (household) {
        household.search = searchText(household, await residentsOf(household.uuid));
        await db.put("households", household);
      }
    }
  }

  /* The order of results, the same rule as households/ranking.py (shared cases in
     tests/search_rank_cases.json): 0 the head's name is the query, 1 a resident's name, the
     address or the phone is, 2 the head's name starts with it, 3 a resident's name or the
     address does, 4 it is found elsewhere. */
  function rank(query, household, names) {
    var q = normalize(query);
    var head = normalize(household.head_name);
    var others = names.map(normalize).concat([normalize(household.address)]);
    if (!q) return 4;
    if (head === q) return 0;
    if (others.indexOf(q) >= 0 || normalize(household.phone) === q) return 1;
    if (head.indexOf(q) === 0) return 2;
    if (others.some(function (o) { return o.indexOf(q) === 0; })) return 3;
    return 4;
  }

  /* Every word must appear in the household's search text (names, address, phone); exact and
     prefix matches first, then by search text. Only a household whose text holds the whole
     query as one run can rank before 4, so only those have their residents read. */
  async function search(text, groupId, limit) {
    var q = normalize(text);
    var words = q.split(" ").filter(Boolean);
    var db = await open();
    var rows = await db.getAll("households");
    var hits = rows.filter(function (h) {
      if (groupId && h.group_id !== groupId) return false;
      return words.every(function (w) { return h.search.indexOf(w) >= 0; });
    });
    var ranks = new Map();
    for (var h of hits) {
      var names = [];
      if (q && h.search.indexOf(q) >= 0) {
        names = (await db.getAllFromIndex("residents", "household", h.uuid)).map(function (r) { return r.full_name; });
      }
      ranks.set(h.uuid, rank(text, h, names));
    }
    hits.sort(function (a, b) { return (ranks.get(a.uuid) - ranks.get(b.uuid)) || (a.search < b.search ? -1 : a.search > b.search ? 1 : 0); });
    return { rows: hits.slice(0, limit || 30), total: hits.length };
  }

  /* --- the outbox ------------------------------------------------------------------------ */

  async function enqueue(item, userId, label) {
    var entry = {
      uuid: item.uuid,
      item: item,
      user_id: userId,
      label: label || "",
      state: "queued",
      attempts: 0,
      created: new Date().toISOString(),
      error: null,
    };
    await (await open()).put("outbox", entry);
    return entry;
  }

  async function outbox(userId) {
    var rows = await (await open()).getAll("outbox");
    rows = rows.filter(function (row) { return userId == null || row.user_id === userId; });
    return rows.sort(function (a, b) { return a.created < b.created ? -1 : 1; });
  }

  async function updateOutbox(uuid, changes) {
    var db = await open();
    var tx = db.transaction("outbox", "readwrite");
    var row = await tx.store.get(uuid);
    if (row) await tx.store.put(Object.assign(row, changes));
    await tx.done;
    return row;
  }

  async function removeOutbox(uuid) {
    return (await open()).delete("outbox", uuid);
  }

  async function putRecord(record) {
    return (await open()).put("records", record);
  }

  /* --- what the server accepted, kept beside the outbox ------------------------------------ */

  /* An accepted item stays on the phone for at least 30 days after it was first accepted: if
     the server is restored from an older backup, it is sent again (static/js/sync.js). */
  async function keepSent(entry) {
    var db = await open();
    var tx = db.transaction("sent", "readwrite");
    var kept = await tx.store.get(entry.uuid);
    await tx.store.put({
      uuid: entry.uuid,
      item: entry.item,
      user_id: entry.user_id,
      label: entry.label,
      created: entry.created,
      acceptedAt: kept ? kept.acceptedAt : new Date().toISOString(),
    });
    await tx.done;
  }

  async function pruneSent(before) {
    var db = await open();
    var tx = db.transaction("sent", "readwrite");
    var cutoff = new Date(before).toISOString();
    for (var row of await tx.store.getAll()) if (row.acceptedAt < cutoff) tx.store.delete(row.uuid);
    await tx.done;
  }

  /* Every kept item back into the outbox (unless it is there already), to be sent again. */
  async function requeueSent() {
    var db = await open();
    var tx = db.transaction(["sent", "outbox"], "readwrite");
    var outbox = tx.objectStore("outbox");
    var count = 0;
    for (var row of await tx.objectStore("sent").getAll()) {
      if (await outbox.get(row.uuid)) continue;
      outbox.put({
        uuid: row.uuid, item: row.item, user_id: row.user_id, label: row.label || "",
        state: "queued", attempts: 0, created: row.created || row.acceptedAt, error: null, resent: true,
      });
      count += 1;
    }
    await tx.done;
    return count;
  }

  /* Logging out: the ward's personal data leaves the phone; the outbox stays if kept. What the
     server accepted stays too (only this phone's own items), as does what the phone knows of
     the server, so that a restore of the server is noticed after the next sign-in. */
  async function clearCopy(keepOutbox) {
    var db = await open();
    var names = ["meta", "groups", "procedures", "shifts", "households", "residents", "records"];
    if (!keepOutbox) names.push("outbox");
    var server = await db.get("meta", "server");
    var tx = db.transaction(names, "readwrite");
    names.forEach(function (name) { tx.objectStore(name).clear(); });
    if (server) tx.objectStore("meta").put(server, "server");
    await tx.done;
  }

  T.store = {
    open: open,
    normalize: normalize,
    getMeta: getMeta,
    setMeta: setMeta,
    applyPull: applyPull,
    counts: counts,
    all: all,
    get: get,
    residentsOf: residentsOf,
    addLocal: addLocal,
    search: search,
    rank: rank,
    enqueue: enqueue,
    outbox: outbox,
    updateOutbox: updateOutbox,
    removeOutbox: removeOutbox,
    putRecord: putRecord,
    keepSent: keepSent,
    pruneSent: pruneSent,
    requeueSent: requeueSent,
    clearCopy: clearCopy,
    putLookup: putLookup,
    clearHouseholds: clearHouseholds,
  };
})(self);
