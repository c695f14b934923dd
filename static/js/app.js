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
