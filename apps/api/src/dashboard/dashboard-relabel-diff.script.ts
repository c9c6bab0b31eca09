/**
 * The relabel diff dialog's script (plain ES2017, inlined). A host's button in a rollout card opens a
 * modal <dialog> (focus moves in, Escape closes it, focus returns to the host's button even when the card
 * was re-rendered meanwhile) and loads the host's diff on demand, a server-rendered, escaped fragment;
 * refusals (409 no detected OS, 400, 404) come as fragments too and show in place. The target form in a
 * fragment reloads it with ?target=.
 */
export const DASHBOARD_RELABEL_DIFF_SCRIPT = String.raw`
(function () {
  'use strict';
  var dialog = document.getElementById('relabel-diff');
  var body = document.getElementById('relabel-diff-body');
  var asked = null; // { rollout, host, target }
  var openerId = '';

  function url(a) {
    return '/dashboard/relabels/' + encodeURIComponent(a.rollout) + '/hosts/' + encodeURIComponent(a.host) + '/diff' +
      (a.target ? '?target=' + encodeURIComponent(a.target) : '');
  }
  function load(a) {
    asked = a;
    body.textContent = 'Loading…';
    fetch(url(a), { credentials: 'same-origin' })
      .then(function (res) {
        var type = res.headers.get('content-type') || '';
        if (type.indexOf('text/html') !== 0) throw new Error('HTTP ' + res.status);
        return res.text();
      })
      .then(function (html) {
        if (asked !== a) return;
        body.innerHTML = html; // escaped on the server
        var title = document.getElementById('relabel-diff-title');
        if (title) title.focus();
      })
      .catch(function (error) { if (asked === a) body.textContent = 'Could not load the relabel diff: ' + error.message; });
  }
  dialog.addEventListener('close', function () {
    asked = null;
    var back = openerId ? document.getElementById(openerId) : null;
    if (back) back.focus();
  });
  dialog.addEventListener('click', function (event) { if (event.target === dialog) dialog.close(); });
  body.addEventListener('submit', function (event) {
    var form = event.target.closest('[data-relabel-target]');
    if (!form || !asked) return;
    event.preventDefault();
    load({ rollout: asked.rollout, host: asked.host, target: form.querySelector('select').value });
  });
  document.addEventListener('click', function (event) {
    var target = event.target.closest('[data-relabel-diff], [data-close-relabel-diff]');
    if (!target) return;
    if (target.hasAttribute('data-close-relabel-diff')) { dialog.close(); return; }
    openerId = target.id;
    if (!dialog.open) dialog.showModal();
    load({ rollout: target.getAttribute('data-relabel-diff'), host: target.getAttribute('data-host') });
  });
})();
`;
