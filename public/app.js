// Progressive enhancement only: every page works without this file.
document.addEventListener('DOMContentLoaded', function () {
  // After a failed submit, move focus to the error summary so screen readers announce it.
  var summary = document.querySelector('.error-summary, #fehler');
  if (summary) summary.focus();

  // A summary link focuses its field and shows the question above it: the legend of a group,
  // else the field's label (without JavaScript the browser follows the link and CSS keeps room above).
  if (summary) {
    summary.addEventListener('click', function (event) {
      var link = event.target.closest && event.target.closest('a[href^="#feld-"]');
      if (!link) return;
      var input = document.getElementById(link.getAttribute('href').slice(1));
      if (!input) return;
      event.preventDefault();
      var legend = input.closest('fieldset') && input.type === 'radio' ? input.closest('fieldset').querySelector('legend') : null;
      var label = legend || document.querySelector('label[for="' + input.id + '"]') || input;
      label.scrollIntoView();
      input.focus({ preventScroll: true });
      if (history.replaceState) history.replaceState(null, '', '#' + input.id);
    });
  }

  // The people search came back to its section (#redaktion): focus lands there, not at the top.
  if (!summary && location.hash) {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.classList.contains('section-target')) target.focus();
  }

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
