/*
 * Tap to enlarge: every figure image in the text column becomes a link to its own full-size PNG,
 * so a phone reader, who sees a figure shrunk to the column, can open it and zoom.
 * An image already inside a link is left alone.
 */
(function () {
  "use strict";

  function linkFigures() {
    var images = document.querySelectorAll("article.bd-article figure img, main figure img");
    Array.prototype.forEach.call(images, function (img) {
      if (img.closest("a")) {
        return;
      }
      var link = document.createElement("a");
      link.href = img.getAttribute("src");
      link.className = "figure-enlarge";
      link.title = "Open the full-size figure";
      img.parentNode.insertBefore(link, img);
      link.appendChild(img);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", linkFigures);
  } else {
    linkFigures();
  }
})();
