// Mock interview: the countdown, drafts saved as you type, offline text kept.
// The server owns the clock and the text; this file only shows the time and
// sends what was typed. Every form works as plain HTML without it.
(function () {
  "use strict";
  var SAVE_EVERY_MS = 5000;   // at most one draft request per 5 s
  var IDLE_MS = 1000;         // ... sent a second after typing pauses
  var ANNOUNCE_AT = [60, 30, 10];
  var state = null;

  function section() { return document.getElementById("mock-question"); }
  function announce(text) {
    var region = document.getElementById("mock-announce");
    if (region) region.textContent = text;
  }
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }
  function key(answer) { return "mock-draft:" + answer; }
  function stored(answer) {
    try { return JSON.parse(window.localStorage.getItem(key(answer)) || "null"); }
    catch (e) { return null; }
  }
  function store(answer, value) {
    try { window.localStorage.setItem(key(answer), JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function forget(answer) {
    try { window.localStorage.removeItem(key(answer)); } catch (e) { /* ignore */ }
  }
  function note(text) {
    var el = state && state.root.querySelector("[data-saved-note]");
    if (el) el.textContent = text;
  }
  function clockText(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    if (!state || !document.body.contains(state.root)) return;
    var left = Math.max(0, Math.ceil((state.deadline - (Date.now() + state.offset)) / 1000));
    var timer = state.root.querySelector("[data-timer]");
    if (timer) timer.textContent = clockText(left);
    var clock = state.root.querySelector("[data-clock]");
    if (clock) clock.classList.toggle("is-low", left <= 30);
    var late = state.root.querySelector("[data-late]");
    if (late) late.hidden = left > 0;
    // A few announcements, never every second (the timer itself is silent).
    ANNOUNCE_AT.forEach(function (mark) {
      if (left <= mark && left > 0 && state.announced.indexOf(mark) < 0 && state.startLeft > mark) {
        state.announced.push(mark);
        announce(mark >= 60 ? "One minute left." : mark + " seconds left.");
      }
    });
    if (left === 0 && !state.timeUp) {
      state.timeUp = true;
      announce("Time is up. Hand in your answer now.");
    }
  }

  function send() {
    if (!state || state.sending) return;
    var text = state.textarea.value;
    if (text === state.sent) return;
    state.sending = true;
    state.lastSend = Date.now();
    var answer = state.answer, body = new URLSearchParams({ answer: answer, text: text });
    fetch(state.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (response) {
      if (response.status === 204) {
        if (state && state.answer === answer) {
          state.sent = text;
          store(answer, { text: text, at: Date.now(), synced: true });
          note("Draft saved at " + new Date().toLocaleTimeString() + ".");
        }
      } else if (response.status === 409) {
        forget(answer);
        // Handed in elsewhere (another tab): show where the interview is now.
        // Not when this tab handed it in while the draft was on its way: the
        // hand-in's own swap already shows the next question.
        if (state && state.answer === answer && !state.handingIn) window.location.reload();
      } else {
        note("Your draft could not be saved (" + response.status + "); it is kept on this device.");
      }
    }).catch(function () {
      note("Offline: your text is kept on this device and sent when you reconnect.");
    }).finally(function () {
      if (!state) return;
      state.sending = false;
      if (state.textarea.value !== state.sent) schedule();
    });
  }

  function schedule() {
    if (!state || state.timer) return;
    var wait = Math.max(IDLE_MS, SAVE_EVERY_MS - (Date.now() - state.lastSend));
    state.timer = window.setTimeout(function () {
      if (state) state.timer = null;
      send();
    }, wait);
  }

  function setUp() {
    var root = section();
    if (state && state.timer) window.clearTimeout(state.timer);
    if (state && state.interval) window.clearInterval(state.interval);
    state = null;
    if (!root) return;
    var textarea = root.querySelector("[data-mock-text]");
    state = {
      root: root,
      textarea: textarea,
      answer: root.getAttribute("data-answer"),
      url: root.getAttribute("data-draft-url"),
      deadline: Number(root.getAttribute("data-deadline")),
      offset: Number(root.getAttribute("data-server-now")) - Date.now(),
      sent: textarea.value,
      lastSend: 0,
      announced: [],
      timeUp: false,
      pendingHandIn: false,
      handingIn: false
    };
    state.startLeft = Math.ceil((state.deadline - (Date.now() + state.offset)) / 1000);
    state.timeUp = state.startLeft <= 0;
    // Text typed here before a reload or while offline, newer than the server's.
    var local = stored(state.answer);
    var saved = Number(root.getAttribute("data-saved") || 0);
    if (local && !local.synced && local.text !== textarea.value && local.at > saved) {
      textarea.value = local.text;
      send();
    }
    textarea.addEventListener("input", function () {
      store(state.answer, { text: textarea.value, at: Date.now(), synced: false });
      schedule();
    });
    state.interval = window.setInterval(tick, 250);
    tick();
    // htmx has processed the form by now: a hand-in from here is an htmx one.
    root.setAttribute("data-ready", "");
    textarea.focus({ preventScroll: true });
  }

  document.addEventListener("keydown", function (event) {
    if (!state || event.defaultPrevented || event.altKey || event.metaKey) return;
    var target = event.target;
    if (target === state.textarea) {
      if (event.ctrlKey && event.key === "Enter" && state.root.hasAttribute("data-ready")) {
        var button = state.root.querySelector("[data-action=hand-in]");
        if (button && !button.disabled) { event.preventDefault(); button.click(); }
      }
      return;
    }
    if (event.ctrlKey || (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && target.type !== "radio")) return;
    var radio = state.root.querySelector('[data-confidence-key="' + event.key + '"]');
    if (radio) { event.preventDefault(); radio.checked = true; radio.focus(); }
  });

  window.addEventListener("online", function () {
    if (!state) return;
    if (state.pendingHandIn) {
      state.pendingHandIn = false;
      var form = state.root.querySelector("[data-mock-form]");
      if (form) form.requestSubmit();
    } else {
      send();
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    if (!state || !state.root.contains(event.detail.elt)) return;
    state.pendingHandIn = true;
    if (window.GenAIPrep) {
      window.GenAIPrep.showFlash("You are offline. Your answer is kept and will be handed in when you reconnect.");
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (!state || !elt.hasAttribute || !elt.hasAttribute("data-mock-form")) return;
    state.handingIn = true;
    // The hand-in carries the text: a draft still waiting to go would only
    // reach the server after it and be refused (409).
    if (state.timer) { window.clearTimeout(state.timer); state.timer = null; }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!state || !elt.hasAttribute || !elt.hasAttribute("data-mock-form")) return;
    if (event.detail.successful) { forget(state.answer); return; }
    state.handingIn = false;
    if (state.textarea.value !== state.sent) schedule();  // the draft after all
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target && target.id === "mock-question") {
      setUp();
      if (state) announce("Question " + state.root.getAttribute("data-number") + " of " + state.root.getAttribute("data-total") + ".");
      return;
    }
    // The debrief: focus stays on the answer that changed.
    var item = target && target.closest && target.closest(".mock-item");
    var fresh = item && document.getElementById(item.id);
    if (fresh) {
      var next = fresh.querySelector(".is-suggested") || fresh.querySelector("button");
      if (next) next.focus({ preventScroll: true });
    }
  });

  document.addEventListener("DOMContentLoaded", setUp);
})();
