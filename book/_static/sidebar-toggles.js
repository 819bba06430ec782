/*
 * Make every sidebar toggle button work (site navigation, and "contents" on this page).
 *
 * The page has two buttons of each kind: a hidden one in the top navbar and the visible one in
 * the article header. pydata-sphinx-theme 0.17 binds its handler only to the first button it
 * finds (the hidden one), so on a phone the visible buttons open nothing, and sphinx-book-theme's
 * desktop "collapse the sidebar" handler is bound to the same hidden button. Here a click on any
 * other toggle is passed on to the bound one, which does the right thing for the screen width:
 * on a wide screen it collapses or restores the sidebar, on a narrow one it opens the sidebar as
 * a dialog. (Upstream: pydata/pydata-sphinx-theme#2451.)
 */
(function () {
  "use strict";

  function forwardClicks(kind, dialogId) {
    var toggles = document.querySelectorAll("." + kind + "-toggle");
    if (toggles.length < 2) {
      return; // one button: the theme's own handler is already on it
    }
    var bound = toggles[0];
    var dialog = document.getElementById(dialogId);
    Array.prototype.slice.call(toggles, 1).forEach(function (button) {
      button.addEventListener("click", function (event) {
        // A later theme release that binds this button itself will already have opened the dialog.
        if (dialog && dialog.open) {
          return;
        }
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    });
  }

  function setUp() {
    forwardClicks("primary", "pst-primary-sidebar-modal");
    forwardClicks("secondary", "pst-secondary-sidebar-modal");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
