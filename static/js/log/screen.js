/* What every part of the log screen shares: the page's strings, the signed-in volunteer, the
   household being logged, and small helpers to build the lists. */
export const T = self.T247;
export const root = document.getElementById("log-app");
export const S = JSON.parse(document.getElementById("log-strings").textContent);
export const userId = Number(root.dataset.userId);
// The household whose form is open, the follow-up it resolves, the outbox item being fixed
// (saving replaces it) and the record just saved (its note and undo).
export const state = { household: null, resolves: null, editing: null, lastSave: null };

export function $(id) { return document.getElementById(id); }

export function fmt(text, values) {
  return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
}

export function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (key) {
    if (key === "text") node.textContent = attrs[key];
    else if (key.indexOf("on") === 0) node.addEventListener(key.slice(2), attrs[key]);
    else node.setAttribute(key, attrs[key]);
  });
  (children || []).forEach(function (child) { if (child) node.appendChild(child); });
  return node;
}

export function showError(id, message) { $(id).textContent = message || ""; $(id).hidden = !message; }

/* Lists are rebuilt from IndexedDB with awaits in between, and two rebuilds can overlap (one
   sync round ends as another starts, a search per key press). Each rebuild fills its list in
   one go at the end, and only the latest rebuild of a list may. */
const latest = {};
export function ticket(name) {
  var mine = (latest[name] = (latest[name] || 0) + 1);
  return function () { return latest[name] === mine; };
}

/* A list, or a select's options, is redrawn only when what it shows has changed: a sync round
   that brought nothing new leaves alone the button under the volunteer's finger (a tap during a
   redraw landed on a node just removed) and the option chosen in a select. `shown` is the data
   the items were made from; answers whether they were put in. */
const drawnFrom = new WeakMap();
export function redraw(container, items, shown) {
  var key = JSON.stringify(shown);
  if (drawnFrom.get(container) === key) return false;
  drawnFrom.set(container, key);
  container.replaceChildren.apply(container, items);
  return true;
}

/* UUIDv7 (RFC 9562): the phone's clock in milliseconds, then 74 random bits. Items made one
   after another sort together, so the server files each new one at the end of its UUID index
   instead of on a random page (fewer pages written per push: docs/BENCHMARKS.md). A wrong
   clock only changes the order; the random bits keep the UUID unique. */
export function uuid7() {
  var b = crypto.getRandomValues(new Uint8Array(16));
  var ms = Date.now();
  for (var i = 5; i >= 0; i--) { b[i] = ms % 256; ms = Math.floor(ms / 256); }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  var h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}

export function householdName(h) { return h.head_name || S.noName; }

export async function groupLabel(groupId) {
  var group = await T.store.get("groups", groupId);
  return group ? S.group + " " + group.number : "";
}
