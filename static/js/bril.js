// Progressive enhancement: every page works without this file.
(function () {
  "use strict";

  // Ask before a destructive button submits its form.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // A preview that follows what is typed ([data-volgt] names its field): 600 ms after the last key the form goes
  // to the server as its "Voorbeeld bijwerken" button sends it (nothing is saved), and the preview is replaced by
  // the one in the page that comes back, rendered and cleaned by the server as the reader will see it. An answer
  // to an older question than the last is dropped; without scripts, or when a request fails, the button works.
  function following(preview) {
    var field = document.getElementById(preview.getAttribute("data-volgt"));
    var shown = preview.querySelector(".prose");
    if (!field || !field.form || !shown || !window.fetch || !window.DOMParser) { return; }
    var timer = null, asked = 0;
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var data = new FormData(field.form), mine = ++asked;
        data.set("actie", "voorbeeld");
        fetch(field.form.action, { method: "POST", body: data, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) {
            if (html === null || mine !== asked) { return; }
            var doc = new DOMParser().parseFromString(html, "text/html");
            var found = doc.querySelector("[data-volgt='" + field.id + "'] .prose");
            if (found) { shown.innerHTML = found.innerHTML; }
          })
          .catch(function () { /* the button still brings the preview */ });
      }, 600);
    });
  }
  document.querySelectorAll("[data-volgt]").forEach(following);

  // Submit a "Wat zie jij?" form without a full page load and show the reveal in place.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-enhance=swap]") || !window.fetch || !window.DOMParser) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text().then(function (html) { return { html: html, url: response.url }; });
    }).then(function (page) {
      var doc = new DOMParser().parseFromString(page.html, "text/html");
      var main = doc.querySelector("main");
      if (!main) { throw new Error("geen inhoud"); }
      document.querySelector("main").innerHTML = main.innerHTML;
      document.title = doc.title;
      window.history.pushState({}, "", page.url);
      var heading = document.querySelector("main h1");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
      window.scrollTo(0, 0);
    }).catch(function () {
      // Fall back to the ordinary form post.
      form.removeAttribute("data-enhance");
      form.submit();
    });
  });

  // A form inside a [data-region] is sent without a full page load: the region is replaced by the same
  // region of the page that comes back (after the server's redirect), the message is announced in the
  // region's status line, and the focus goes back where it was or to the element the server marked.
  var queue = Promise.resolve();
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var region = form.closest("[data-region]");
    if (!region || event.defaultPrevented || form.hasAttribute("data-plain") || !window.fetch || !window.DOMParser) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    var body = new FormData(form);
    if (submitter && submitter.name) { body.append(submitter.name, submitter.value); }
    // One request at a time, in order: two quick changes must not overtake each other.
    queue = queue.then(function () {
      region.setAttribute("aria-busy", "true");
      return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" });
    }).then(function (response) {
      if (!response.ok && response.status !== 422) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById(region.id);
      if (!fresh) { throw new Error("geen " + region.id); }
      // Where the focus is now (the user may have moved on while the request was under way).
      var active = document.activeElement;
      var inside = active && active !== document.body && region.contains(active);
      var key = inside ? focusKey(active) : null;
      region.innerHTML = fresh.innerHTML;
      region.removeAttribute("aria-busy");
      var status = document.getElementById(region.getAttribute("data-status"));
      var message = doc.querySelector(".flashes");
      if (status) { status.textContent = message ? message.textContent.trim() : ""; }
      // A mistake first, then the button the server marked (a moved item's), then the same control as
      // before; focus that was outside the region stays where it is.
      var target = region.querySelector(".error-summary") || region.querySelector("[data-focus]") ||
        (key && region.querySelector(key)) || (inside ? region.querySelector("[tabindex='-1']") : null);
      if (target) { target.focus(); }
    }).catch(function () {
      // Fall back to the ordinary form post, with the button that was pressed.
      region.removeAttribute("aria-busy");
      form.setAttribute("data-plain", "");
      if (submitter && submitter.name) {
        var hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = submitter.name; hidden.value = submitter.value;
        form.appendChild(hidden);
      }
      form.submit();
    });
  });

  // A selector that finds the same control again after its region was replaced.
  function focusKey(element) {
    if (element.id) { return "#" + CSS.escape(element.id); }
    if (element.name) {
      return element.tagName.toLowerCase() + "[name='" + CSS.escape(element.name) + "'][value='" + CSS.escape(element.value) + "']";
    }
    return null;
  }

  // A changed number in a form[data-autosave] is saved at once (through the region above).
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-autosave") && form.requestSubmit && event.target.type === "number") {
      form.requestSubmit();
    }
  });

  window.addEventListener("popstate", function () { window.location.reload(); });

  // A print button works only with this script (the page says how to print without it).
  Array.prototype.forEach.call(document.querySelectorAll("button[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
