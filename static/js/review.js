// Review screen: keyboard shortcuts, focus after each swap, visible errors.
// Everything here is an enhancement: the forms work as plain HTML without it.
(function () {
  "use strict";

  function card() {
    return document.getElementById("card");
  }

  // A freshly swapped card is wired up by htmx only when it settles; a key
  // pressed before that would submit its form without htmx (a full reload).
  function markReady() {
    var root = card();
    if (root) root.setAttribute("data-ready", "");
  }

  function isBusy(root) {
    return !root.hasAttribute("data-ready") ||
      Boolean(root.querySelector(".htmx-request, [disabled]"));
  }

  // Move focus where the learner's next action is: the notice after a
  // conflict, the answer after a reveal, "Show answer" on a new card, the
  // heading of the finished screen.
  function focusCard() {
    var root = card();
    if (!root) return;
    var target = root.querySelector(".notice[data-autofocus]") ||
      root.querySelector("[data-autofocus]");
    if (target) target.focus({ preventScroll: true });
    var top = root.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) {
      root.scrollIntoView({ block: "start" });
    }
  }

  function click(selector) {
    var root = card();
    var button = root && root.querySelector(selector);
    if (!button || button.disabled || isBusy(root)) return false;
    button.click();
    return true;
  }

  function isField(target) {
    return target && (target.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.repeat || event.altKey || event.metaKey) return;
    if (!card()) return;
    var key = event.key;
    // The typed answer: Ctrl+Enter checks it, Esc skips to the plain reveal.
    if (event.target && event.target.hasAttribute && event.target.hasAttribute("data-typed")) {
      var done = false;
      if (event.ctrlKey && key === "Enter") done = click("[data-action=check]");
      else if (key === "Escape") done = click("[data-action=skip]");
      if (done) event.preventDefault();
      return;
    }
    if (isField(event.target)) return;
    var handled = false;
    if ((event.ctrlKey && (key === "z" || key === "Z")) ||
        (!event.ctrlKey && (key === "u" || key === "U"))) {
      handled = click("[data-action=undo]");
    } else if (event.ctrlKey) {
      return;
    } else if (key === " " || key === "Enter") {
      // A focused button, link or summary keeps its own Space/Enter.
      if (event.target.closest && event.target.closest("button, a, summary")) return;
      handled = click("[data-action=reveal]");
    } else if (key === "Escape") {
      handled = click("[data-action=skip]");
    } else if (/^[0-5]$/.test(key)) {
      handled = click('[data-grade-key="' + key + '"]');
    }
    if (handled) event.preventDefault();
  });

  // One request per card: a self-graded card carries its answer and grade
  // buttons in an inert <template>; "Show answer" puts them in place of the
  // reveal form instead of asking the server. Without JavaScript the form
  // still asks for the revealed page.
  function revealInPlace(form) {
    var root = card();
    var back = root && root.querySelector("template[data-back]");
    if (!back || !root.contains(form)) return false;
    var content = back.content.cloneNode(true);
    back.remove();
    form.replaceWith(content);
    root.setAttribute("data-face", "back");
    if (window.htmx) window.htmx.process(root);
    var answer = root.querySelector("#answer");
    if (answer) answer.focus({ preventScroll: true });
    return true;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.classList && elt.classList.contains("reveal-form") &&
        revealInPlace(elt)) {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var flash = document.getElementById("flash");
    if (flash && event.detail.xhr.status < 400) flash.hidden = true;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    // The flash (a 400's message) is announced by its role=alert; focus stays.
    var target = event.detail.target;
    if (target && target.id === "card") {
      markReady();
      focusCard();
    }
  });

  // 404 and 403 are not swapped (base.html's responseHandling): say why.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status !== 404 && xhr.status !== 403) return;
    var type = xhr.getResponseHeader("Content-Type") || "";
    var text = xhr.status === 403
      ? "Your session has expired. Please reload the page and log in again."
      : "That card is no longer available. Please reload the page.";
    if (type.indexOf("text/plain") === 0 && xhr.responseText.length < 300) {
      text = xhr.responseText;
    }
    if (window.GenAIPrep) window.GenAIPrep.showFlash(text);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var root = card();
    if (!root) return;
    markReady();
    var target = root.querySelector("[data-autofocus]");
    if (target) target.focus({ preventScroll: true });
  });
})();
