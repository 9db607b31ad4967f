// The public objection form: a new captcha image on request (django-simple-captcha's refresh view answers JSON
// to an XMLHttpRequest-marked fetch). Without JavaScript the form still works: a failed post shows a new image.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-captcha-refresh]");
  if (!button) return;
  var box = button.closest("[data-captcha]");
  fetch(button.getAttribute("data-captcha-refresh"), {headers: {"X-Requested-With": "XMLHttpRequest"}})
    .then(function (response) { return response.json(); })
    .then(function (data) {
      box.querySelector("[data-captcha-image]").src = data.image_url;
      box.querySelector("input[type=hidden]").value = data.key;
      var answer = box.querySelector("input[type=text]");
      answer.value = "";
      answer.focus();
    });
});
