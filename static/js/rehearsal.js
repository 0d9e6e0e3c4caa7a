/* A rehearsal: ask the server about once a second to let the simulated participants act (oefen-tik).
   The console and the projector both ask; the server lets one tick a second through (rehearsal.py). */
(function () {
  "use strict";
  var tag = document.querySelector("[data-oefen-tik]");
  if (!tag || !window.fetch) { return; }
  var url = tag.getAttribute("data-oefen-tik");
  var status = tag.querySelector("[data-oefen-status]");
  var failures = 0;

  function again(ms) { window.setTimeout(tick, ms); }

  function tick() {
    var body = new FormData();
    body.append("csrf_token", tag.getAttribute("data-csrf"));
    fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 404 || response.status === 403) { return { klaar: true }; }
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (reply) {
        failures = 0;
        if (status) { status.textContent = ""; }
        if (!reply.klaar) { again(1000); }
      })
      .catch(function () {
        failures += 1;
        if (status && failures > 2) { status.textContent = "(de nagespeelde deelnemers wachten op de verbinding)"; }
        again(Math.min(10000, 1000 * failures));
      });
  }

  again(500);
})();
