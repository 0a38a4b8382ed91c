/* The three forms saved to the outbox (a new household, a new person, the record) and the undo
   of the last record saved. Saved items go to the server with the next sync round. */
import { $, S, T, householdName, showError, state, userId, uuid7 } from "./screen.js";
import { hideSavedNote, offerRating, savedWho, showSavedNote, updateSavedNote } from "./saved-note.js";
import { addTypedResident, choose, currentShift, radio, residentTyped, tickedResidents } from "./record-form.js";
import { renderRecent, runSearch } from "./search.js";
import { afterQueue, renderOutbox } from "./outbox.js";

/* --- new household ------------------------------------------------------------------------ */

export function openHouseholdForm() {
  hideSavedNote();
  $("household-form").hidden = false;
  $("nh-group").value = $("hh-group").value || $("nh-group").value;
  toggleConsent();
  $("nh-address").focus();
}

export function toggleConsent() {
  document.querySelectorAll("#household-form .consent-only").forEach(function (f) { f.hidden = !$("nh-consent").checked; });
}

export async function saveHousehold(event) {
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

/* --- new person ("Thêm người") ------------------------------------------------------------- */

export async function saveResident() {
  if (await addTypedResident()) afterQueue();
}

/* --- the record ---------------------------------------------------------------------------- */

export function closeForm() {
  state.household = null;
  state.editing = null;
  $("record-form").hidden = true;
  $("pick-household").hidden = false;
  $("hh-search").value = "";
  runSearch();
  renderRecent();
}

export async function saveRecord(event) {
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
  // A fix ("Sửa") replaces a refused or held item: its undo puts that item back, not nothing.
  var replaced = state.editing ? await T.store.get("outbox", state.editing) : null;
  await T.store.enqueue(item, userId, householdName(state.household) + " · " + S.kinds[kind]);
  await T.store.setMeta("lastPlace", place);
  var who = savedWho();
  closeForm();
  showSavedNote(item, who, replaced);
  offerRating(item);
  afterQueue();
}

/* Undone only while the record is still on the phone. Under the sync lock: a round that has
   already read the outbox would otherwise send it anyway; after that round it is either gone
   (sent: no undo, said so) or still here. A fix is undone by putting back what it replaced. */
export async function undoLastSave() {
  var saved = state.lastSave;
  if (!saved || saved.undone) return;
  $("saved-undo").disabled = true;
  var remove = async function () {
    if (!(await T.store.get("outbox", saved.uuid))) return false;
    if (saved.replaced) await T.store.updateOutbox(saved.uuid, saved.replaced);
    else await T.store.removeOutbox(saved.uuid);
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
