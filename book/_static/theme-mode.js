// The theme's head script sets the page's mode from localStorage, or to "" on a first visit, and
// its own code then logs "Got invalid theme mode" before resetting. The book is drawn for a light
// background, so a first visit starts in light mode; a reader's saved choice is kept.
if (!document.documentElement.dataset.mode) {
  document.documentElement.dataset.mode = "light";
}
