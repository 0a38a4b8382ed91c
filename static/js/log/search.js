/* Picking a household: the search in the phone's copy (and the whole ward, online), the group
   filter, and the recent households with their "Như lần trước". */
import { $, S, T, el, fmt, groupLabel, householdName, redraw, ticket, userId } from "./screen.js";
import { showCopyStatus } from "./storage.js";
import { choose } from "./record-form.js";

function householdButton(h, extra, pick) {
  return el("li", { class: "card pick" }, [
    el("button", { type: "button", class: "pick-button", "data-household": h.uuid, onclick: function () { (pick || choose)(h); } }, [
      el("strong", { text: householdName(h) }),
      el("span", { class: "muted", text: h.address + (extra ? " · " + extra : "") }),
    ]),
  ]);
}

export async function fillGroups() {
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

export async function runSearch() {
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

/* Recent: this volunteer's latest records, sent or still in the outbox, one line per household. */
export async function renderRecent() {
  var records = (await T.store.all("records")).filter(function (r) { return !r.followup || r.local; });
  (await T.store.outbox(userId)).forEach(function (e) { if (e.item.type === "record") records.push(e.item); });
  records.sort(function (a, b) { return a.client_time < b.client_time ? 1 : -1; });
  var current = ticket("recent");
  var seen = new Set();
  var list = $("recent");
  var items = [];
  var shown = [];
  for (var r of records) {
    if (seen.has(r.household_uuid) || seen.size >= 8) continue;
    var h = await T.store.get("households", r.household_uuid);
    if (!h) continue;
    seen.add(h.uuid);
    items.push(withRepeatButton(householdButton(h, S.kinds[r.kind]), h, r));
    shown.push([h, r]);
  }
  if (!current()) return;
  redraw(list, items, shown);
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
