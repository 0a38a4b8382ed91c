/* Follow-ups: records left waiting in the ward, mine first (what I left waiting), then the
   oldest; a ward may have hundreds, listed in full with filters on /follow-ups. Before the
   first copy has arrived nothing is known: "loading", never "nothing is waiting". */
import { $, S, T, el, fmt, householdName, redraw, ticket } from "./screen.js";
import { choose } from "./record-form.js";

const FOLLOWUPS_SHOWN = 10;

function mineFirst(a, b) {
  var mine = function (r) { return r.local || r.mine ? 0 : 1; };
  return (mine(a) - mine(b)) || (a.client_time < b.client_time ? -1 : a.client_time > b.client_time ? 1 : 0);
}

export async function renderFollowups() {
  var list = $("followups");
  var current = ticket("followups");
  var items = [];
  var shown = [];
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
    shown.push([h, r]);
  }
  if (!rows.length && pulled) items.push(el("li", { class: "card", "data-empty": "none", text: S.noFollowups }));
  if (!rows.length && !pulled) items.push(el("li", { class: "card", "data-empty": "loading", text: navigator.onLine ? S.followupsLoading : S.followupsUnknown }));
  if (rows.length > FOLLOWUPS_SHOWN) {
    var more = fmt(S.moreFollowups, { n: rows.length - FOLLOWUPS_SHOWN });
    items.push(el("li", { class: "muted" }, [el("a", { href: "/follow-ups", text: more })]));
  }
  if (current()) redraw(list, items, [shown, rows.length, !!pulled, navigator.onLine]);
}

/* A waiting dossier's result (done, returned, refused), offline too: static/js/dossier-result.js. */
function addDossierResult(card, record) {
  if (T.dossierResult && record.kind === "dossier" && record.outcome === "pending") card.appendChild(T.dossierResult.button(record, card));
}

/* The record form for the same household and kind, saved as the follow-up's resolution. */
export async function resolveFollowup(record) {
  var h = await T.store.get("households", record.household_uuid);
  if (!h) return;
  choose(h, { kind: record.kind, procedure_id: record.procedure_id, mode: record.mode, resident_uuids: record.resident_uuids, resolves: record.uuid });
}
