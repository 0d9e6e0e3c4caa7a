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

  window.addEventListener("popstate", function () { window.location.reload(); });
})();
