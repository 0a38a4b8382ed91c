/* The record form for one household: opened with what is known (a repeat, a follow-up, an item
   to fix), its people to tick and the new person typed under them, the sections shown for what
   was done. Saving it is in save.js. */
import { $, S, T, el, fmt, groupLabel, householdName, redraw, showError, state, ticket, userId, uuid7 } from "./screen.js";
import { hideSavedNote } from "./saved-note.js";

export async function choose(h, preset) {
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

export function tickedResidents() {
  return Array.from(document.querySelectorAll('input[name="resident"]:checked')).map(function (i) { return i.value; });
}

/* The new person's fields stay open under the household's people: typed in and saved with
   the record, or added first with "Thêm" (several people). Either way they end up ticked. */
export function residentTyped() {
  return $("nr-year").value !== "" || (!$("nr-name").parentNode.hidden && $("nr-name").value.trim() !== "");
}

/* The new person into the outbox and the copy; their UUID, or null when a field is wrong. */
export async function addTypedResident() {
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

export function setRadio(name, value) {
  document.querySelectorAll('input[name="' + name + '"]').forEach(function (input) { input.checked = input.value === value; });
}

export function radio(name) {
  var input = document.querySelector('input[name="' + name + '"]:checked');
  return input ? input.value : null;
}

export function updateSections() {
  $("dossier").hidden = radio("kind") !== "dossier";
  $("reason-box").hidden = !radio("outcome") || radio("outcome") === "done";
}

export async function fillProcedures() {
  var select = $("procedure");
  var active = (await T.store.all("procedures")).filter(function (p) { return p.active; });
  var options = [el("option", { value: "", text: "—" })].concat(active.map(function (p) {
    return el("option", { value: p.id, "data-mode": p.mode, text: p.name });
  }));
  var chosen = select.value;
  if (redraw(select, options, active)) select.value = chosen;  // "—" if it is no longer offered
}

/* The shift on now (with half an hour either side), for a record made at the desk. */
export async function currentShift() {
  var now = Date.now();
  var margin = 30 * 60 * 1000;
  var shifts = await T.store.all("shifts");
  var match = shifts.find(function (s) { return Date.parse(s.starts_at) - margin <= now && now <= Date.parse(s.ends_at) + margin; });
  return match ? match.id : null;
}
