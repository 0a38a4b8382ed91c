/* Service worker, served at /sw.js so that its scope is the whole app. /sw.js fills in the
   version (a hash of the shell files) and the lists of shell URLs, versioned (`?v=`): the files a
   page already loaded come from the browser's HTTP cache (core/headers.py), not the network. */
"use strict";
var VERSION = "__SHELL_VERSION__";
var SHELL = "__SHELL_FILES__";
// The rest of the shell (icons, the feedback screen's files): fetched on "precache-later", which
// a page sends after its first sync round, so the first pull has the slow link to itself.
var LATER = "__SHELL_LATER__";
var SHELL_CACHE = "t247-shell-" + VERSION;
var PAGES_CACHE = "t247-pages";
var OFFLINE_URL = "/offline";
// Pages kept for use offline once visited; the log screen is the one that matters.
var OFFLINE_PAGES = ["/log", "/follow-ups", "/feedback/hand-over"];

importScripts("/static/vendor/idb/umd.js", "/static/js/store.js", "/static/js/sync.js");

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) {
      return cache.addAll(SHELL.concat([OFFLINE_URL]));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) {
        if (name.indexOf("t247-shell-") === 0 && name !== SHELL_CACHE) return caches.delete(name);
        return null;
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isShell(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

/* Pages: network first, so people see fresh data whenever there is signal; offline, the last
   copy of that page, or the offline page. */
async function page(request) {
  var url = new URL(request.url);
  try {
    var response = await fetch(request);
    if (response.ok && !response.redirected && OFFLINE_PAGES.indexOf(url.pathname) >= 0) {
      var cache = await caches.open(PAGES_CACHE);
      await cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    var cached = await caches.match(url.pathname, { cacheName: PAGES_CACHE });
    return cached || (await caches.match(OFFLINE_URL)) || Response.error();
  }
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (isShell(url)) {
    // The shell is versioned as a whole: cache first, refreshed when the worker changes. A
    // static file not cached yet (one of LATER, say) is kept once fetched.
    event.respondWith(caches.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") {
          var copy = response.clone();
          caches.open(SHELL_CACHE).then(function (cache) { return cache.put(request, copy); });
        }
        return response;
      });
    }));
  }
});

/* Background Sync: the outbox is sent even when no tab of the app is open any more. */
self.addEventListener("sync", function (event) {
  if (event.tag !== "t247-outbox") return;
  event.waitUntil(self.T247.sync.run({ force: true, pull: false }).then(function (result) {
    // A rejected promise asks the browser to try again later, with its own backoff.
    if (result && result.failed) throw new Error("sync failed: " + result.status);
  }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "precache-later") {
    event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
      return Promise.all(LATER.map(function (url) {
        return cache.match(url).then(function (hit) { return hit || cache.add(url); });
      }));
    }).catch(function () { /* offline now: the next page asks again */ }));
  } else if (data.type === "claim") {
    event.waitUntil(self.clients.claim());
  } else if (data.type === "cache-page" && data.url) {
    event.waitUntil(caches.open(PAGES_CACHE).then(function (cache) { return cache.add(data.url); }));
  } else if (data.type === "forget-pages") {
    event.waitUntil(caches.delete(PAGES_CACHE));
  }
});

/* Web push (issue 6): the server sends {id, title, body, url, tag, icon} encrypted (RFC 8291);
   the browser decrypts it before this runs. The tag is the shift's topic, so a newer message
   about a shift replaces the older one on the phone instead of stacking. */
self.addEventListener("push", function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(self.registration.showNotification(data.title || "Thanh niên 24/7", {
    body: data.body || "",
    icon: data.icon || "/static/icons/icon-192.png",
    badge: "/static/icons/icon-192.png",
    tag: data.tag || undefined,
    renotify: !!data.tag,
    lang: "vi",
    data: { url: data.url || "/notifications/" },
  }));
});

/* A tap opens the notification's own link, /notifications/<id>/open, which marks it opened and
   leads on to the page it is about; an open window of the app is reused when there is one. */
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data || {}).url || "/notifications/", self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      var client = windows[i];
      if (new URL(client.url).origin === self.location.origin && "navigate" in client) {
        return client.navigate(target).then(function (opened) {
          return (opened || client).focus();
        }).catch(function () { return self.clients.openWindow(target); });
      }
    }
    return self.clients.openWindow(target);
  }));
});
