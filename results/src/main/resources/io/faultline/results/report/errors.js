/* Runs first: every script error on the page, parse errors of later scripts included, lands in
   <html data-script-errors>, where people and tests can see it. */
(function () {
  var seen = [];
  function note(text) {
    seen.push(text);
    document.documentElement.setAttribute('data-script-errors', seen.join(' | '));
  }
  window.addEventListener('error', function (e) {
    note((e.message || 'error') + ' (' + (e.filename || 'page') + ':' + (e.lineno || 0) + ')');
  });
  window.addEventListener('unhandledrejection', function (e) { note('unhandled rejection: ' + e.reason); });
})();
