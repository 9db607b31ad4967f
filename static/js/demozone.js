// demozone's own behaviour; served by the app (no inline scripts: the Content-Security-Policy forbids them).
// A button or form with data-confirm asks before it acts (e.g. a revocation, forming an evaluation result).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && button.tagName !== "FORM" && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
