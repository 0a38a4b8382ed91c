/* The outbox panel: what waits on the phone, what the server refused or holds (fix, send again,
   discard), the last sync in words and the storage line under it. */
import { $, S, T, el, redraw, state, userId } from "./screen.js";
import { keepStorage, showStorage } from "./storage.js";
import { choose } from "./record-form.js";

export async function renderOutbox() {
  var entries = await T.store.outbox(userId);
  $("outbox-count").textContent = String(entries.filter(function (e) { return e.item.type === "record"; }).length);
  var items = entries.map(function (e) {
    var reason = e.error ? (S.reasons[e.error.reason] || e.error.reason) + (e.error.field ? " (" + e.error.field + ")" : "") : "";
    var actions = el("div", { class: "actions" });
    if (e.state === "held") {
      actions.appendChild(el("button", { type: "button", class: "button secondary", text: S.retry, "data-retry": "", onclick: retryEntry.bind(null, e) }));
    }
    if (e.state === "rejected" || e.state === "held") {
      if (e.item.type === "record") actions.appendChild(el("button", { type: "button", class: "button secondary", text: S.fix, onclick: fixEntry.bind(null, e) }));
      actions.appendChild(el("button", { type: "button", class: "button danger", text: S.discard, onclick: discardEntry.bind(null, e) }));
    }
    return el("li", { class: "card outbox-" + e.state, "data-state": e.state }, [
      el("div", {}, [
        el("strong", { text: e.label || S.types[e.item.type] }),
        el("span", { class: "muted", text: S.states[e.state] + (reason ? ": " + reason : "") }),
      ]),
      actions,
    ]);
  });
  redraw($("outbox-list"), items, entries);
  await describeOutbox(entries);
  await showStorage();
}

/* Every save: keep storage from eviction (asked once), wake Background Sync, try to send now. */
export async function afterQueue() {
  await keepStorage();
  await renderOutbox();
  await T.app.refreshBadge();
  T.app.requestBackgroundSync();
  T.app.sync(false, true);
}

/* In words, as on the badge (static/js/app.js): "Đã gửi hết · đồng bộ lúc 06:25 hôm nay". */
async function describeOutbox(entries) {
  $("last-sync").textContent = T.app.syncWords(T.app.countByType(entries), await T.store.getMeta("lastSuccess")).full;
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
