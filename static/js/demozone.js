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
// Length counters: a field with maxlength has a "最多 N 字" note (data-counter-for its id); while typing it shows
// how many characters are used, so the limit is known before submit. Without JavaScript the note stays as it is.
(function () {
  function update(note, field) {
    var max = field.getAttribute("maxlength");
    var used = field.value.length;
    note.textContent = (note.dataset.template || "{used} / {max}").replace("{used}", used).replace("{max}", max);
    note.classList.toggle("counter-over", used >= Number(max));
  }
  function wire(root) {
    root.querySelectorAll("[data-counter-for]").forEach(function (note) {
      var field = document.getElementById(note.dataset.counterFor);
      if (!field || note.dataset.counterWired) { return; }
      note.dataset.counterWired = "1";
      if (!note.dataset.template) { note.dataset.template = document.documentElement.lang === "en" ? "{used} / {max} characters" : "已输入 {used} / {max} 字"; }
      update(note, field);
      field.addEventListener("input", function () { update(note, field); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSettle", function (event) { wire(event.target); });
})();
