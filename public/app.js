// Progressive enhancement only: every page works without this file.
document.addEventListener('DOMContentLoaded', function () {
  // After a failed submit, move focus to the error summary so screen readers announce it.
  var summary = document.querySelector('.error-summary, #fehler');
  if (summary) summary.focus();

  // Enter in the people search searches (without JavaScript, Enter saves the draft, as in every other field).
  document.querySelectorAll('button[data-enter-from]').forEach(function (button) {
    var input = document.getElementById(button.getAttribute('data-enter-from'));
    if (!input) return;
    input.addEventListener('keydown', function (event) {
      if (event.key !== 'Enter' || event.isComposing) return;
      event.preventDefault();
      button.click();
    });
  });
});
