// The child page's "Print this page" button. Shown only when this script runs, so a
// browser without scripts sees just the advice to use its own Print command.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
});
