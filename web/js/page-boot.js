// A classic script that runs before the modules: projector mode from the address (no flash of
// the normal layout) and, where the page was opened as a file (browsers do not load modules
// from file://, so app.js never runs), one sentence on how to serve it.
(function () {
  if (/[?&]projector=1(&|$)/.test(location.search)) document.documentElement.classList.add('projector');
  if (location.protocol !== 'file:') return;
  document.addEventListener('DOMContentLoaded', function () {
    var message =
      'Opened as a file, this page cannot run: serve it over HTTP with “node web/serve.mjs” in the iscam folder ' +
      '(after scripts/build-web.sh) and open http://127.0.0.1:8080/ instead.';
    document.getElementById('runtime').textContent = message;
    document.getElementById('error-text').textContent = message;
    document.getElementById('error').hidden = false;
    document.getElementById('explain').disabled = true;
  });
})();
