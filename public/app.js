// Progressive enhancement only: every page works without this file.
document.addEventListener('DOMContentLoaded', function () {
  // After a failed submit, move focus to the error summary so screen readers announce it.
  var summary = document.querySelector('.error-summary, #fehler');
  if (summary) summary.focus();
});
