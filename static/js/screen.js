// The projector: full screen with a button or the F key, and long moments fitted to the screen.
// The projector is never scrolled; when a moment is too long, its type shrinks, but never below
// 77 % (body text stays at 28 px or more on a 1080-line screen).
(function () {
  "use strict";
  var body = document.body;
  var MIN_SCALE = 0.77, STEP = 0.03;

  function overflowing() {
    var main = document.querySelector(".screen-main");
    var page = document.documentElement;
    return page.scrollHeight > window.innerHeight + 1 || page.scrollWidth > window.innerWidth + 1 ||
      (main !== null && main.scrollHeight > main.clientHeight + 1);
  }

  function fit() {
    var scale = 1;
    body.style.setProperty("--schaal", String(scale));
    while (overflowing() && scale > MIN_SCALE) {
      scale = Math.max(MIN_SCALE, scale - STEP);
      body.style.setProperty("--schaal", String(scale));
    }
    body.setAttribute("data-past", overflowing() ? "nee" : "ja");
  }

  var content = document.querySelector("[data-live-inhoud]");
  if (content && window.MutationObserver) {
    new MutationObserver(fit).observe(content, { childList: true });
  }
  window.addEventListener("resize", fit);
  window.addEventListener("load", fit);
  fit();

  var button = document.querySelector("[data-volledig-scherm]");
  function toggleFullscreen() {
    if (!document.fullscreenElement && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    } else if (document.exitFullscreen) {
      document.exitFullscreen().catch(function () {});
    }
  }
  if (button && document.documentElement.requestFullscreen) {
    button.hidden = false;
    button.addEventListener("click", toggleFullscreen);
    document.addEventListener("fullscreenchange", function () {
      button.hidden = Boolean(document.fullscreenElement);
      fit();
    });
  }
  // Show the button while the mouse moves, and for a few seconds after the page opens.
  var resting = null;
  function wake() {
    body.classList.add("muis");
    window.clearTimeout(resting);
    resting = window.setTimeout(function () { body.classList.remove("muis"); }, 3000);
  }
  document.addEventListener("mousemove", wake);
  wake();

  document.addEventListener("keydown", function (event) {
    if ((event.key === "f" || event.key === "F") && !event.ctrlKey && !event.metaKey && !event.altKey) {
      toggleFullscreen();
    }
  });
})();
