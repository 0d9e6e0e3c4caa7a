// The live client: follows docs/live-protocol.md. Streams with Server-Sent Events and falls back to
// polling when a network buffers or blocks the stream; every update carries the server's version.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || !window.fetch) { return; }

  // The server pings every 5 s; this much silence means the stream is stuck (a test may set a shorter wait).
  var SILENCE_MS = window.brilSilenceMs || 8000;
  var POLL_MS = 2000;         // pause between the answer to one poll and the next poll
  var POLL_MAX_MS = 30000;    // the longest pause when the server is slow or away
  var SLOW_MS = 1000;         // an answer slower than this means the server is busy: poll less often
  var RETRY_STREAM_MS = 30000;
  var content = root.querySelector("[data-live-inhoud]");
  var badge = root.querySelector("[data-verbinding]");
  var announcer = document.getElementById("live-melding");
  var version = parseInt(root.getAttribute("data-versie"), 10) || 0;
  var myVote = root.getAttribute("data-mijn-stem");
  var myMarks = (root.getAttribute("data-mijn-zinnen") || "").split(" ").filter(Boolean);
  var shownHtml = null;  // the last html applied (a fresh copy of the same version is compared to it)
  var source = null, silence = null, polling = false, pollTimer = null, pollPause = POLL_MS, retry = null;
  var clockOffset = (parseFloat(root.getAttribute("data-nu")) || Date.now() / 1000) - Date.now() / 1000;

  function setBadge(text) {
    if (!badge) { return; }
    badge.textContent = text;
    badge.setAttribute("data-status", /^Verbonden/.test(text) ? "ok" : "probleem");
  }

  function announce(text) {
    if (announcer && text) { announcer.textContent = ""; window.setTimeout(function () { announcer.textContent = text; }, 50); }
  }

  var LETTERS = "ABCD";

  function restoreVote() {
    if (!content) { return; }
    var buttons = content.querySelectorAll("form[data-live-vote] button[name=optie]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", buttons[i].value === myVote ? "true" : "false");
    }
    var status = content.querySelector("[data-stem-status]");
    if (status && myVote !== null && myVote !== "") { status.textContent = voteText(myVote); }
    var boxes = content.querySelectorAll("form[data-live-marks] input[name=zin]");
    for (var j = 0; j < boxes.length; j++) { boxes[j].checked = myMarks.indexOf(boxes[j].value) >= 0; }
  }

  function voteText(option) {
    var name = option === "0" ? "je past" : LETTERS.charAt(parseInt(option, 10) - 1);
    return "Je stem is binnen: " + name + ". Je kunt nog wisselen tot de stemming sluit.";
  }

  // A removed phone stops following the room, but asks now and then whether it was let back in: then it
  // follows the room again from where the room is, without a reload.
  var removed = false, askAgain = null;
  var REMOVED_ASK_MS = 5000;

  function askToComeBack() {
    window.clearTimeout(askAgain);
    askAgain = window.setTimeout(function () {
      askState().then(function (state) { if (state) { applyState(state); } else { askToComeBack(); } })
        .catch(askToComeBack);
    }, REMOVED_ASK_MS);
  }

  function applyState(state) {
    if (state.verwijderd) {
      stop();
      if (!removed && content) {
        content.innerHTML = "<p class=\"notice\">De procesbegeleider heeft je uit deze sessie gehaald.</p>";
      }
      removed = true;
      askToComeBack();
      return;
    }
    if (removed) {
      // Unchanged (only a version) is no answer yet; `verwijderd: false` is: follow the room again.
      if (state.verwijderd !== false) { askToComeBack(); return; }
      removed = false;
      openStream();
    }
    if (typeof state.mijn_stem !== "undefined") { myVote = state.mijn_stem === null ? "" : String(state.mijn_stem); }
    if (state.mijn_zinnen) { myMarks = state.mijn_zinnen; }
    if (typeof state.nu === "number") { clockOffset = state.nu - Date.now() / 1000; }
    // Versions only rise: an answer older than what is shown (a slow poll overtaken by the stream) is
    // ignored, and any newer one is shown, whatever arrived in between.
    // A fresh rendering of the same version replaces the screen only when it differs, so a polling
    // console does not lose the button under the facilitator's finger every two seconds.
    var fresh = state.vers && state.versie === version && state.html !== shownHtml;
    if (state.html && content && (state.versie > version || fresh)) {
      shownHtml = state.html;
      var active = document.activeElement;
      var focused = active && content.contains(active);
      var kept = keep();
      // Fragments are shared by everyone in the room; the form token is this browser's own.
      content.innerHTML = state.html.split("__CSRF__").join(root.getAttribute("data-csrf") || "");
      var refocus = restore(kept, active);
      if (state.versie > version) { clearNotices(); if (typeof state.gekozen !== "boolean") { setChosen(false, state.versie); } }
      version = state.versie;
      restoreVote();
      var view = content.querySelector("[data-melding]");
      if (view) { announce(view.getAttribute("data-melding")); }
      if (refocus) {
        active.focus();
      } else if (focused) {
        var primary = content.querySelector("[data-primary]:not([disabled])");
        if (primary) { primary.focus(); } else { content.setAttribute("tabindex", "-1"); content.focus(); }
      }
      startTimer();
    }
    if (state.afgelopen) {
      // After the end nothing can be submitted any more: hide the parking lot form.
      var parking = document.querySelector("[data-parkeerplaats]");
      if (parking) { parking.hidden = true; }
    }
    if (typeof state.stemmen === "number") { updateCount(state.stemmen); }
    if (typeof state.gekozen === "boolean") { setChosen(state.gekozen, state.versie); }
  }

  // What the facilitator is typing survives the room moving on: a form marked data-bewaar is carried over
  // whole into the new rendering (with its text, its messages and the focus), a field keeps its value.
  var unfolded = {};  // id of a folded section -> whether the facilitator last left it open
  document.addEventListener("toggle", function (event) {
    var section = event.target;
    if (section.tagName === "DETAILS" && section.id && section.hasAttribute("data-bewaar")) {
      unfolded[section.id] = section.open;
    }
  }, true);  // toggle does not bubble: listen on the way down

  function keep() {
    var kept = {};
    var nodes = content.querySelectorAll("[data-bewaar][id]");
    for (var i = 0; i < nodes.length; i++) { kept[nodes[i].id] = nodes[i]; }
    return kept;
  }

  function restore(kept, active) {
    var refocus = false;
    Object.keys(kept).forEach(function (id) {
      var old = kept[id], fresh = document.getElementById(id);
      if (!fresh || !fresh.hasAttribute("data-bewaar")) { return; }
      if (old.tagName === "DETAILS") {
        // A section the facilitator unfolded stays open: as they last left it, even when a rendering came
        // in between their click and this one.
        fresh.open = unfolded.hasOwnProperty(id) ? unfolded[id] : old.open;
      } else if (old.tagName === "FORM") {
        fresh.parentNode.replaceChild(old, fresh);
        if (active && old.contains(active)) { refocus = true; }
      } else {
        fresh.value = old.value;
        if (active === old) { fresh.focus(); }
      }
    });
    return refocus;
  }

  // "Jij bent gevraagd iets te zeggen": only this phone's own answer says so, never the shared rendering.
  var chosenVersion = 0;
  function setChosen(chosen, at) {
    var note = root.querySelector("[data-gekozen]");
    if (!note || (at || 0) < chosenVersion) { return; }
    chosenVersion = at || chosenVersion;
    if (note.hidden === !chosen) { return; }
    note.hidden = !chosen;
    if (chosen) { announce(note.textContent); }
  }

  // A notice belongs to its moment: when the room moves on, the messages of the moment before go.
  function clearNotices() {
    var old = document.querySelectorAll(".flashes, [data-parkeerplaats] .error-summary, [data-parkeerplaats] .error");
    for (var i = 0; i < old.length; i++) { old[i].parentNode.removeChild(old[i]); }
    var status = document.querySelector("[data-parkeren-status]");
    if (status) { status.textContent = ""; status.className = "hint"; }
  }

  function updateCount(count) {
    var nodes = root.querySelectorAll("[data-stemmen]");
    for (var i = 0; i < nodes.length; i++) { nodes[i].textContent = String(count); }
  }

  function parse(event) { try { return JSON.parse(event.data); } catch (e) { return {}; } }

  function heard() {
    window.clearTimeout(silence);
    silence = window.setTimeout(fallBack, SILENCE_MS);
  }

  function openStream() {
    if (!window.EventSource) { fallBack(); return; }
    if (source) { source.close(); }
    source = new EventSource(root.getAttribute("data-stroom-url"));
    heard();
    source.addEventListener("stand", function (event) { heard(); stopPolling(); setBadge("Verbonden"); applyState(parse(event)); });
    source.addEventListener("stemmen", function (event) { heard(); applyState(parse(event)); });
    source.addEventListener("persoonlijk", function (event) { heard(); applyState(parse(event)); });
    source.addEventListener("ping", function () { heard(); stopPolling(); setBadge("Verbonden"); });
    source.onerror = function () { setBadge("Opnieuw verbinden…"); };
  }

  function fallBack() {
    // No sign of life from the stream: poll instead, and try the stream again later.
    if (source) { source.close(); source = null; }
    window.clearTimeout(silence);
    setBadge("Verbonden");
    if (!polling) { polling = true; pollPause = POLL_MS; poll(); }
    window.clearTimeout(retry);
    retry = window.setTimeout(openStream, RETRY_STREAM_MS);
  }

  function stopPolling() {
    polling = false;
    window.clearTimeout(pollTimer);
    window.clearTimeout(retry);
  }

  function stop() {
    stopPolling();
    window.clearTimeout(silence);
    if (source) { source.close(); source = null; }
  }

  function nextPoll(healthy) {
    // The next poll waits for the answer to this one. A slow or failed answer doubles the pause (up to
    // 30 s), a quick one brings it back to 2 s; jitter keeps a room of phones from polling in step.
    if (!polling) { return; }
    pollPause = healthy ? POLL_MS : Math.min(POLL_MAX_MS, pollPause * 2);
    pollTimer = window.setTimeout(poll, pollPause * (0.8 + Math.random() * 0.4));
  }

  // The state since the version shown (only `{"versie": n}` when nothing changed), or null when refused.
  function askState() {
    var url = root.getAttribute("data-stand-url");
    url += (url.indexOf("?") < 0 ? "?" : "&") + "sinds=" + version;
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; });
  }

  function poll() {
    var started = Date.now();
    askState()
      .then(function (state) {
        if (state) { setBadge("Verbonden"); applyState(state); }
        nextPoll(state !== null && Date.now() - started < SLOW_MS);
      })
      .catch(function () { setBadge("Geen verbinding, opnieuw proberen…"); nextPoll(false); });
  }

  function formData(form, submitter) {
    var data = new FormData(form);
    // The pressed button's own name and value (an option to vote for or to follow) travel with the form.
    if (submitter && submitter.name) { data.set(submitter.name, submitter.value); }
    return data;
  }

  function post(form, data) {
    return fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); });
  }

  // Votes: one tap on an option sends it without leaving the page; the answer is the acknowledgement.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-vote")) { return; }
    event.preventDefault();
    var data = formData(form, event.submitter);
    var note = form.querySelector("[data-stem-status]");
    if (data.get("optie") === null) { return; }
    post(form, data).then(function (result) {
      if (result.ok && result.body.ok) {
        myVote = String(result.body.optie);
        restoreVote();
        announce(voteText(myVote));
      } else if (note) {
        note.textContent = result.body.melding || "Stemmen lukte niet. Probeer het nog eens.";
      }
    }).catch(function () { if (note) { note.textContent = "Geen verbinding. Je stem is nog niet ontvangen; probeer het opnieuw."; } });
  });

  // "Wat zie jij?": the marked sentences are stored without leaving the page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-marks")) { return; }
    event.preventDefault();
    var note = form.querySelector("[data-zinnen-status]");
    post(form, new FormData(form)).then(function (result) {
      if (result.body.zinnen) { myMarks = result.body.zinnen; }
      if (note) { note.textContent = result.body.melding; }
      announce(result.body.melding);
    }).catch(function () { if (note) { note.textContent = "Geen verbinding. Probeer het opnieuw."; } });
  });

  // The question round: an answer or an "ik ook" is sent without leaving the page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-post")) { return; }
    event.preventDefault();
    var note = form.querySelector("[data-post-status]");
    post(form, new FormData(form)).then(function (result) {
      if (note) { note.textContent = result.body.melding; }
      announce(result.body.melding);
      var text = form.querySelector("textarea");
      if (result.body.ok && text) { text.value = ""; }
    }).catch(function () { if (note) { note.textContent = "Geen verbinding. Probeer het opnieuw."; } });
  });

  // The parking lot: sent without a page load; a refusal keeps the text, with the reason beside it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-parkeren")) { return; }
    event.preventDefault();
    var note = form.querySelector("[data-parkeren-status]");
    var text = form.querySelector("textarea");
    post(form, new FormData(form)).then(function (result) {
      var old = form.querySelectorAll(".error-summary, .error");
      for (var i = 0; i < old.length; i++) { old[i].parentNode.removeChild(old[i]); }
      if (note) {
        note.textContent = result.body.melding || (result.body.ok ? "" : "Parkeren lukte niet. Probeer het nog eens.");
        note.className = result.body.ok ? "hint" : "error";
      }
      if (result.body.ok && text) { text.value = ""; }
      announce(result.body.melding);
    }).catch(function () { if (note) { note.textContent = "Geen verbinding. Je bericht is nog niet geparkeerd; probeer het opnieuw."; } });
  });

  // A console form with fields (an agreement): sent without a page load; a refusal puts each reason at its
  // field and keeps what was typed, success empties the form. The stream shows the new list.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-form")) { return; }
    event.preventDefault();
    var note = form.querySelector("[data-form-status]");
    post(form, new FormData(form)).then(function (result) {
      showErrors(form, result.body.fouten || {});
      if (note) { note.textContent = result.body.melding || ""; note.className = result.body.ok ? "hint" : "error"; }
      if (result.body.ok) {
        form.reset();
      } else {
        var wrong = form.querySelector("[aria-invalid=true]");
        if (wrong) { wrong.focus(); }
      }
      announce(result.body.melding);
    }).catch(function () { if (note) { note.textContent = "Geen verbinding. Er is nog niets vastgelegd; probeer het opnieuw."; } });
  });

  function showErrors(form, errors) {
    var old = form.querySelectorAll(".field .error");
    for (var i = 0; i < old.length; i++) { old[i].parentNode.removeChild(old[i]); }
    var fields = form.querySelectorAll("input[name], textarea[name], select[name]");
    for (var j = 0; j < fields.length; j++) {
      var field = fields[j], messages = errors[field.name];
      var box = field.closest(".field");
      if (!box) { continue; }
      box.classList.toggle("field-error", !!messages);
      if (messages) {
        var line = document.createElement("p");
        line.className = "error";
        line.id = field.id + "-fout";
        line.textContent = messages.join(" ");
        box.appendChild(line);
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", line.id);
      } else {
        field.removeAttribute("aria-invalid");
        field.removeAttribute("aria-describedby");
      }
    }
  }

  // The console's buttons: carried out without a page load; the stream then shows the new moment.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-action")) { return; }
    event.preventDefault();
    var data = formData(form, event.submitter);
    var send = function () {
      post(form, data).then(function (result) {
        if (result.body.naar) {
          window.location.assign(result.body.naar);  // the session ended: on to its report
        } else if (result.body.bevestig && window.confirm(result.body.melding)) {
          data.set("bevestig", "ja");
          send();
        } else if (!result.body.ok && result.body.melding) {
          announce(result.body.melding);
          setBadge(result.body.melding);
        }
      }).catch(function () { form.submit(); });
    };
    send();
  });

  // The console's shortcuts, shown on its buttons: → the next step, ← back, and letters for the tools.
  if (root.getAttribute("data-weergave") === "console") {
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.ctrlKey || event.metaKey || event.altKey || (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
      var key = event.key === "ArrowRight" ? "→" : event.key === "ArrowLeft" ? "←" : event.key.toUpperCase();
      var button = key === "→" ? content.querySelector("[data-primary]:not([disabled])")
        : content.querySelector("button[data-sneltoets='" + key + "']:not([disabled])");
      if (button && key.length === 1) {
        event.preventDefault();
        button.click();
      }
    });
  }

  // A vote's countdown ("nog 30 s") on every screen, to the server's deadline; at zero the phones' buttons
  // go off and the console closes the vote (the server refuses a later vote in any case).
  var counting = null;
  function startCountdown() {
    window.clearInterval(counting);
    var node = content && content.querySelector("[data-aftellen]");
    if (!node) { return; }
    var deadline = parseFloat(node.getAttribute("data-aftellen"));
    var text = node.querySelector("[data-aftellen-tekst]");
    var closing = false;
    function tick() {
      var left = Math.ceil(deadline - (Date.now() / 1000 + clockOffset));
      if (left > 0) { text.textContent = "nog " + left + " s"; return; }
      text.textContent = "De tijd is om.";
      window.clearInterval(counting);
      announce("De tijd is om. De stemming is gesloten.");
      var buttons = content.querySelectorAll("form[data-live-vote] button");
      for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = true; }
      var close = content.querySelector("form[data-live-action][action$='/actie/stemming-dicht']");
      if (close && !closing && root.getAttribute("data-weergave") === "console") {
        closing = true;
        close.requestSubmit ? close.requestSubmit() : close.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));
      }
    }
    tick();
    counting = window.setInterval(tick, 250);
  }

  // The projector's timer counts down between updates.
  var ticking = null;
  function startTimer() {
    startCountdown();
    window.clearInterval(ticking);
    var node = root.querySelector("[data-timer]");
    if (!node || node.getAttribute("data-loopt") !== "ja") { return; }
    // Count down to the server's deadline, corrected for the difference between this clock and the server's.
    var deadline = parseFloat(node.getAttribute("data-timer-einde"));
    var text = node.querySelector("[data-timer-tekst]");
    function tick() {
      var left = Math.round(deadline - (Date.now() / 1000 + clockOffset));
      var abs = Math.abs(left);
      if (text) { text.textContent = Math.floor(abs / 60) + ":" + ("0" + (abs % 60)).slice(-2); }
    }
    if (isNaN(deadline)) { return; }
    tick();
    ticking = window.setInterval(tick, 1000);
  }

  restoreVote();
  startTimer();
  openStream();
})();
