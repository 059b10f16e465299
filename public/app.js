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
      var legend =
        input.closest('fieldset') && input.type === 'radio' ? input.closest('fieldset').querySelector('legend') : null;
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

// Timeout warning (GOV.UK pattern): two minutes before the idle timeout the person may stay
// signed in; five minutes before the absolute end of the sign-in they are told to save. Nothing
// navigates away by itself: a form sent after the end is kept by the server (form-keeper).
document.addEventListener('DOMContentLoaded', function () {
  var dialog = document.getElementById('sitzung-warnung');
  var idle = Number(document.body.getAttribute('data-session-idle'));
  var left = Number(document.body.getAttribute('data-session-left'));
  if (!dialog || typeof dialog.showModal !== 'function' || !(idle > 0) || !(left >= 0)) return;
  var IDLE_WARNING_MS = 2 * 60 * 1000;
  var MAX_WARNING_MS = 5 * 60 * 1000;
  var idleEnd = Date.now() + idle * 1000;
  var maxEnd = Date.now() + left * 1000;
  var timer;
  var ended = false;

  function show(kind) {
    dialog.querySelectorAll('[data-when]').forEach(function (el) {
      el.hidden = el.getAttribute('data-when') !== kind;
    });
    if (!dialog.open) dialog.showModal();
  }
  function schedule() {
    clearTimeout(timer);
    if (ended) return;
    var now = Date.now();
    var end = Math.min(idleEnd, maxEnd);
    if (now >= end) {
      ended = true;
      show('ended');
      return;
    }
    var byMax = maxEnd <= idleEnd;
    var warnAt = end - (byMax ? MAX_WARNING_MS : IDLE_WARNING_MS);
    if (now >= warnAt) {
      show(byMax ? 'max' : 'idle');
      timer = setTimeout(schedule, end - now);
      return;
    }
    timer = setTimeout(schedule, warnAt - now);
  }

  var form = dialog.querySelector('form[data-session-extend]');
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin' })
        .then(function (res) {
          if (res.status !== 204) throw new Error('not extended');
          idleEnd = Date.now() + idle * 1000;
          dialog.close();
          schedule();
        })
        .catch(function () {
          ended = true;
          show('ended');
        });
    });
  }
  dialog.querySelector('[data-session-close]').addEventListener('click', function () {
    dialog.close();
  });
  schedule();
});
