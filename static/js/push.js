/* The "turn on reminders" switch on the notifications page. The browser's permission prompt only
   ever follows a tap on the button, never a page load: a prompt nobody asked for gets blocked, and
   once blocked a site cannot ask again. */
(function () {
  "use strict";
  var panel = document.getElementById("push-panel");
  if (!panel) return;
  var onButton = document.getElementById("push-on");
  var offButton = document.getElementById("push-off");
  var status = document.getElementById("push-status");
  var csrf = document.querySelector('meta[name="csrf-token"]').content;

  function supported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  function show(state) {
    panel.querySelectorAll("[data-when]").forEach(function (element) {
      element.hidden = element.dataset.when !== state;
    });
    onButton.hidden = state === "on" || state === "unsupported";
    offButton.hidden = state !== "on";
  }

  function say(text) { status.textContent = text || ""; }

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(subscription, key) {
    var options = subscription.options || {};
    if (!options.applicationServerKey) return true;  // the browser does not tell; assume so
    var current = new Uint8Array(options.applicationServerKey);
    return current.length === key.length && current.every(function (b, i) { return b === key[i]; });
  }

  async function post(url, body) {
    var response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      var error = new Error("HTTP " + response.status);
      // The server says why it refused (e.g. an endpoint that is not a known push service).
      error.serverMessage = (await response.json().catch(function () { return {}; })).message;
      throw error;
    }
    return response.json();
  }

  async function registration() { return navigator.serviceWorker.ready; }

  async function turnOn() {
    onButton.disabled = true;
    say("");
    try {
      var permission = await Notification.requestPermission();
      if (permission !== "granted") { show("denied"); return; }
      var key = keyBytes(panel.dataset.key);
      var manager = (await registration()).pushManager;
      var subscription = await manager.getSubscription();
      if (subscription && !sameKey(subscription, key)) {
        // Made with an older server key: push services would refuse our signature.
        await subscription.unsubscribe();
        subscription = null;
      }
      if (!subscription) {
        subscription = await manager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      }
      await post(panel.dataset.subscribe, subscription.toJSON());
      show("on");
      say(panel.dataset.msgOn);
    } catch (error) {
      say(error.serverMessage || panel.dataset.msgFailed);
    } finally {
      onButton.disabled = false;
    }
  }

  async function turnOff() {
    offButton.disabled = true;
    try {
      var subscription = await (await registration()).pushManager.getSubscription();
      if (subscription) {
        await post(panel.dataset.unsubscribe, { endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
      show("off");
      say(panel.dataset.msgOff);
    } catch (error) {
      say(panel.dataset.msgFailed);
    } finally {
      offButton.disabled = false;
    }
  }

  /* On load: only look (getSubscription never prompts). A device that already has a
     subscription is stored again, so the server follows a changed endpoint or a new user. */
  async function init() {
    if (!supported()) { show("unsupported"); return; }
    onButton.addEventListener("click", turnOn);
    offButton.addEventListener("click", turnOff);
    if (Notification.permission === "denied") { show("denied"); return; }
    show("off");
    try {
      var subscription = await (await registration()).pushManager.getSubscription();
      if (subscription && Notification.permission === "granted") {
        await post(panel.dataset.subscribe, subscription.toJSON());
        show("on");
      }
    } catch (error) { /* stays "off"; the button works regardless */ }
  }

  init();
})();
