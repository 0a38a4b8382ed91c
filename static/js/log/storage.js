/* What this phone keeps: the ward's copy (how big, clearing it), the room left for it, and
   asking the browser not to clear it. */
import { $, S, T, fmt, root } from "./screen.js";

export async function showCopyStatus() {
  var counts = await T.store.counts();
  $("copy-status").textContent = counts.households ? fmt(S.copyReady, counts) : (navigator.onLine ? S.copyLoading : S.copyNone);
  $("clear-copy").hidden = !counts.households;
  root.dataset.households = String(counts.households);
}

/* True when the volunteer agreed and the copy is gone (records waiting to be sent stay). */
export async function clearCopy() {
  if (!window.confirm(fmt(S.confirmClear, await T.store.counts()))) return false;
  await T.store.clearHouseholds();
  return true;
}

export async function showStorage() {
  if (!navigator.storage || !navigator.storage.estimate) return;
  var estimate = await navigator.storage.estimate();
  var persisted = navigator.storage.persisted ? await navigator.storage.persisted() : false;
  // What it means for the volunteer: room left, and whether the browser may clear it.
  var mb = function (n) { return (n / 1048576).toFixed(1); };
  var share = estimate.quota ? (estimate.usage || 0) / estimate.quota : 0;
  var room = share < 0.8 ? S.storageRoom : S.storageFull;
  $("storage-use").textContent = fmt(room, { used: mb(estimate.usage || 0), quota: mb(estimate.quota || 0) }) + (persisted ? " " + S.persisted : "");
}

/* Asked once, at the first save: keep the outbox and the copy from eviction. */
export async function keepStorage() {
  if (navigator.storage && navigator.storage.persist && !(await T.store.getMeta("persistAsked"))) {
    await T.store.setMeta("persistAsked", true);
    try { await navigator.storage.persist(); } catch (e) { /* the browser decides */ }
  }
}
