/* The log screen: find a household in the offline copy, say what was done, save to the outbox.
   Works the same online and offline; static/js/app.js sends the outbox. An ES module: its parts
   are in static/js/log/, one per part of the screen, each importing only those below it:

     screen.js      the page's strings, the volunteer, the household being logged, helpers
     storage.js     the ward's copy on the phone and the room left for it
     saved-note.js  the note on what was just saved, the rating link
     record-form.js the record form for one household, its people
     search.js      search, group filter, recent households
     followups.js   follow-ups left waiting
     outbox.js      what waits to be sent, refused or held
     save.js        the three forms saved, the undo

   The server names each import with its version (core/headers.py), so the browser keeps every
   part for a year and the service worker precaches them all (sync/pwa.py). */
import { $, T, root } from "./log/screen.js";
import { clearCopy, showCopyStatus } from "./log/storage.js";
import { hideSavedNote, updateSavedNote } from "./log/saved-note.js";
import { choose, fillProcedures, setRadio, updateSections } from "./log/record-form.js";
import { fillGroups, renderRecent, runSearch } from "./log/search.js";
import { renderFollowups, resolveFollowup } from "./log/followups.js";
import { renderOutbox } from "./log/outbox.js";
import { closeForm, openHouseholdForm, saveHousehold, saveRecord, saveResident, toggleConsent, undoLastSave } from "./log/save.js";

T.pullOnSync = true;

async function refreshAll() {
  await fillGroups();
  await fillProcedures();
  await showCopyStatus();
  await renderRecent();
  await renderFollowups();
  await renderOutbox();
  await updateSavedNote();
  await T.app.refreshBadge();
  root.dataset.refreshed = String(Number(root.dataset.refreshed || 0) + 1);  // rounds drawn, for tests
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
  $("new-household").addEventListener("click", openHouseholdForm);
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
  $("clear-copy").addEventListener("click", async function () { if (await clearCopy()) await refreshAll(); });
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
    // The first round is over and the lists drawn from its copy: nothing redraws under a tap.
    root.dataset.settled = "1";
    // Kept for offline use after the first pull, which has the slow link to itself (app.js).
    T.app.warmCache([location.pathname, "/feedback/hand-over"]);
  }
}

start();
