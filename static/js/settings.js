// Settings: put the browser's time zone at the top of the zone list, and on a
// first visit fill it in (UTC otherwise). Without this script the field is a
// plain text box over the same list.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("id_time_zone");
    var list = document.getElementById("time-zone-options");
    if (!input || !list) return;
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return;
    }
    var found = null;
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value === zone) {
        found = list.options[i];
        break;
      }
    }
    if (!found) return;
    found.textContent = found.textContent + " · your browser's zone";
    list.insertBefore(found, list.firstChild);
    if (input.hasAttribute("data-browser-default")) input.value = zone;
  });
})();
