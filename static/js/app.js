// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Sign-up: send the browser's time zone so "today" starts at the right hour.
  function detectTimeZone(root) {
    root.querySelectorAll("form[data-detect-time-zone]").forEach(function (form) {
      var field = form.querySelector("input[name=time_zone]");
      if (field && !field.value) {
        try {
          field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
        } catch (e) { /* keep the server default (UTC) */ }
      }
    });
  }

  // Error responses (400, 409, 429, 503) carry a message for the learner.
  function showFlash(text) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    flash.textContent = text;
    flash.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    detectTimeZone(document);
  });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 500 && xhr.status !== 503) {
      showFlash("Something went wrong on our side. Please reload the page.");
    }
  });
  document.addEventListener("htmx:sendError", function () {
    showFlash("You seem to be offline. Your last answer was not saved; try again.");
  });
  window.GenAIPrep = { showFlash: showFlash };
})();

// --- Error responses for htmx requests (issue 6) ---------------------------
// base.html's htmx-config swaps 400/409/429/503 into their target (a server
// message, or for a database outage an out-of-band #flash) and swaps no other
// error. Whatever was not shown that way gets a plain message here.
// 409 (a second tab), 429 and 503 are outcomes the app expects, not errors:
// htmx treats them as such (no htmx:responseError, nothing logged), so they
// are handled after the request instead.
(function () {
  "use strict";
  var MESSAGES = {
    400: "That request could not be accepted. Please check it and try again.",
    403: "Your session has expired or this page is stale. Reload the page and try again.",
    404: "That item no longer exists. Reload the page to continue.",
    409: "This was already done, perhaps in another tab. Reload the page to continue.",
    429: "Too many attempts. Please wait a few minutes and try again.",
    503: "GenAI Prep is briefly unavailable. Nothing was saved; try again in a few seconds."
  };
  function flash() { return document.getElementById("flash"); }

  // A new request clears the previous error message.
  document.addEventListener("htmx:beforeRequest", function () {
    var box = flash();
    if (box && !box.hidden) { box.hidden = true; box.textContent = ""; }
  });
  var EXPECTED = [409, 429, 503];
  function explain(xhr) {
    var box = flash();
    var swapped = [400, 409, 429, 503].indexOf(xhr.status) !== -1 &&
      (xhr.responseText || "").trim() !== "";
    if (swapped || !box || !MESSAGES[xhr.status]) return;
    if (box.hidden || !box.textContent) {
      box.textContent = MESSAGES[xhr.status];
      box.hidden = false;
    }
  }
  document.addEventListener("htmx:responseError", function (event) {
    explain(event.detail.xhr);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && EXPECTED.indexOf(xhr.status) !== -1) explain(xhr);
  });
})();

// --- The light/dark switch (issue 14.17) -------------------------------------
// The server renders the saved choice on <html data-theme>, so pages paint in
// the right scheme at once. Here: the switch offers the other scheme of what is
// shown (the device's, when there is no choice), and a click applies at once
// and saves in the background, so the page (a revealed card) stays as it is.
(function () {
  "use strict";
  var root = document.documentElement;
  var device = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function shown() {
    return root.getAttribute("data-theme") || (device && device.matches ? "dark" : "light");
  }
  function relabel() {
    var offer = shown() === "dark" ? "light" : "dark";
    document.querySelectorAll("[data-theme-form] button[name=theme]").forEach(function (button) {
      button.value = offer;
      var label = button.querySelector(".theme-label");
      if (label) label.textContent = button.getAttribute("data-label-" + offer);
    });
  }
  document.addEventListener("DOMContentLoaded", relabel);
  if (device && device.addEventListener) device.addEventListener("change", relabel);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-theme-form]") || !window.fetch) return;
    event.preventDefault();
    var button = event.submitter || form.querySelector("button[name=theme]");
    var data = new FormData(form);
    data.set("theme", button.value);
    root.setAttribute("data-theme", button.value);
    relabel();
    fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin", headers: { "HX-Request": "true" }
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
    }).catch(function () {
      if (window.GenAIPrep) {
        window.GenAIPrep.showFlash("Your theme could not be saved; it applies to this page only.");
      }
    });
  });
})();
