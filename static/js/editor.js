/* The editor of own cards and stories: line numbers, a click on a problem puts the cursor on its line,
   and autosave while typing (1.5 s after the last key) with the revision the text started from; a save
   that fails (a server restarting) is tried again by itself until it arrives. Each save redraws the
   lists and counts beside the text from what was saved, without loading the page. When
   someone else saved in between, both texts stay on screen and nothing is saved over theirs. */
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var area = document.getElementById("tekst");
  if (!form || !area) { return; }
  var gutter = form.querySelector(".gutter");
  var revision = document.getElementById("revisie");
  var status = document.getElementById("opgeslagen");
  var timer = null, saving = false, again = false, stopped = false, saved = area.value;

  function numbers() {
    var count = area.value.split("\n").length, lines = [];
    for (var i = 1; i <= count; i++) { lines.push(i); }
    gutter.textContent = lines.join("\n") + "\n";
    gutter.scrollTop = area.scrollTop;
  }

  function goTo(line) {
    var lines = area.value.split("\n"), start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) { start += lines[i].length + 1; }
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1] || "").length);
    var height = area.scrollHeight / Math.max(lines.length, 1);
    area.scrollTop = Math.max(0, (line - 4) * height);
    numbers();
  }

  function listed(box, list, intro, className) {
    box.textContent = "";
    var ul = document.createElement("ul");
    ul.className = className;
    list.forEach(function (p) {
      var li = document.createElement("li"), a = document.createElement("a"), field = document.createElement("strong");
      a.href = "#tekst";
      a.setAttribute("data-regel", p.regel);
      a.textContent = "Regel " + p.regel;
      field.textContent = p.veld;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" · "));
      li.appendChild(field);
      li.appendChild(document.createTextNode(": " + p.melding));
      ul.appendChild(li);
    });
    box.appendChild(intro);
    box.appendChild(ul);
  }

  function okay(box, text) {
    var p = document.createElement("p");
    p.className = "ok";
    p.textContent = text;
    box.textContent = "";
    box.appendChild(p);
  }

  function problems(list) {
    var box = document.getElementById("problemen");
    if (!list.length) { okay(box, "Geen fouten gevonden."); return; }
    var intro = document.createElement("p");
    intro.textContent = list.length + (list.length === 1 ? " fout" : " fouten") +
      " gevonden. Klik op een fout om naar de regel te gaan.";
    listed(box, list, intro, "problems");
  }

  function conflict(answer) {
    stopped = true;
    var panel = document.getElementById("conflict-js");
    if (!panel) {
      panel = document.createElement("section");
      panel.id = "conflict-js";
      panel.className = "conflict";
      panel.setAttribute("aria-labelledby", "conflict-js-kop");
      panel.innerHTML = '<h2 id="conflict-js-kop" tabindex="-1"></h2><p></p><div class="side-by-side">' +
        '<div><label for="hun-tekst-js">Opgeslagen tekst van de ander</label>' +
        '<textarea id="hun-tekst-js" readonly rows="16" class="source"></textarea></div>' +
        '<div><label for="jouw-tekst-js">Jouw tekst (nog niet opgeslagen)</label>' +
        '<textarea id="jouw-tekst-js" readonly rows="16" class="source"></textarea></div></div>' +
        '<div class="actions"><button type="button" data-kies="mijn">Mijn tekst opslaan</button>' +
        '<button type="button" class="secondary" data-kies="hun">Verder met hun tekst</button></div>';
      var grid = form.closest(".editor-grid") || form;
      grid.parentNode.insertBefore(panel, grid);
    }
    panel.querySelector("h2").textContent = "Iemand anders heeft deze tekst intussen opgeslagen";
    panel.querySelector("p").textContent = answer.melding;
    panel.querySelector("#hun-tekst-js").value = answer.tekst;
    panel.querySelector("#jouw-tekst-js").value = area.value;
    panel.setAttribute("data-revisie", answer.revisie);
    panel.querySelector("h2").focus();
    status.textContent = "Niet opgeslagen: iemand anders heeft de tekst intussen gewijzigd.";
  }

  // The parts of the page drawn from the saved text, by the key the autosave's answer sends them under: the
  // readability, the preview, a card's shape with its steps, endings and route map, a story's scenes.
  var DRAWN = { waarschuwingen: "waarschuwingen", voorbeeld: "voorbeeld", vorm: "vorm", scenes: "scenes" };

  function name(element) { return element.getAttribute("aria-label") || element.textContent.trim(); }

  function redraw(answer) {
    Object.keys(DRAWN).forEach(function (key) {
      var box = document.getElementById(DRAWN[key]);
      if (!box || !answer[key]) { return; }
      // A keyboard user on a link or button of the list keeps their place: focus the one of the same name.
      var focused = box.contains(document.activeElement) ? name(document.activeElement) : null;
      box.innerHTML = answer[key];
      if (focused === null) { return; }
      var same = Array.prototype.filter.call(box.querySelectorAll("a[href], button"), function (element) {
        return name(element) === focused;
      })[0];
      if (same) { same.focus(); }
    });
  }

  function save() {
    if (stopped) { return; }
    if (saving) { again = true; return; }
    saving = true;
    var body = new FormData(form), sent = area.value;
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin",
                         headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (!answer.ok && answer.conflict) { conflict(answer); return; }
        revision.value = answer.revisie;
        saved = sent;
        status.textContent = "Opgeslagen om " + answer.tijd;
        problems(answer.problemen);
        redraw(answer);
      })
      .catch(function () {
        // The server may be restarting or the network away: the text stays here and is sent again by itself.
        status.textContent = "Opslaan lukte niet. Je tekst staat er nog; over een paar seconden probeer ik het opnieuw.";
        clearTimeout(timer);
        timer = setTimeout(save, window.brilEditorRetryMs || 5000);
      })
      .then(function () {
        saving = false;
        if (again) { again = false; save(); }
      });
  }

  area.addEventListener("input", function () {
    numbers();
    clearTimeout(timer);
    if (!stopped) { status.textContent = "Nog niet opgeslagen…"; }
    timer = setTimeout(save, 1500);
  });
  area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    save();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-regel]");
    if (link) {
      event.preventDefault();
      goTo(parseInt(link.getAttribute("data-regel"), 10));
      return;
    }
    var choice = event.target.closest("[data-kies]");
    if (!choice) { return; }
    var panel = document.getElementById("conflict-js");
    revision.value = panel.getAttribute("data-revisie");
    if (choice.getAttribute("data-kies") === "hun") {
      area.value = panel.querySelector("#hun-tekst-js").value;
      saved = area.value;
      status.textContent = "Je werkt nu verder met hun tekst.";
      stopped = false;
    } else {
      stopped = false;
      save();
    }
    panel.parentNode.removeChild(panel);
    numbers();
    area.focus();
  });
  window.addEventListener("beforeunload", function (event) {
    if (area.value !== saved) { event.preventDefault(); event.returnValue = ""; }
  });
  numbers();
}());
