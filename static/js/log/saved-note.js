/* The note on what was just saved: shown at the top of the screen (scrolled to), focused so a
   screen reader reads it, and kept until closed or the next household is chosen; what it says
   about sending follows the outbox. Its undo is in save.js. Below it, the link to hand the
   phone over for a rating. */
import { $, S, T, fmt, householdName, state } from "./screen.js";

/* The people ticked, or the household when nobody was. */
export function savedWho() {
  var names = Array.from(document.querySelectorAll('input[name="resident"]:checked')).map(function (i) { return i.dataset.name; });
  return names.length ? names.join(", ") : householdName(state.household);
}

/* `replaced`: the outbox entry a fix ("Sửa") saved over, which the undo puts back. */
export function showSavedNote(item, who, replaced) {
  state.lastSave = { uuid: item.uuid, undone: false, replaced: replaced || null };
  var note = $("saved-note");
  note.hidden = false;
  $("saved-what").textContent = fmt(S.savedWhat, { who: who, what: S.kinds[item.kind] + " · " + S.outcomes[item.outcome] });
  window.scrollTo(0, 0);
  note.focus();
  updateSavedNote();
}

export function hideSavedNote() {
  state.lastSave = null;
  $("saved-note").hidden = true;
}

export async function updateSavedNote() {
  var saved = state.lastSave;
  if (!saved) return;
  var onPhone = !saved.undone && !!(await T.store.get("outbox", saved.uuid));
  if (state.lastSave !== saved) return;
  $("saved-note").dataset.state = saved.undone ? "undone" : onPhone ? "on-phone" : "sent";
  var undone = saved.replaced ? S.undoneFix : S.undone;
  $("saved-state").textContent = saved.undone ? undone : onPhone ? S.savedOnPhone : S.savedSent;
  $("saved-undo").hidden = !onPhone;
  $("saved-records").hidden = saved.undone || onPhone;
}

/* After helping: a link to hand the phone over for a rating (feedback/, works offline). */
export function offerRating(item) {
  var link = $("rate-link");
  if (!link) return;
  link.href = "/feedback/hand-over#" + new URLSearchParams({ record: item.uuid, place: item.place, kind: item.kind });
  link.hidden = false;
}
