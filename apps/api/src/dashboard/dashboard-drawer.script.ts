/**
 * The dashboard's drawer script (plain ES2017, inlined). Opens a host's drawer (a modal <dialog>:
 * focus moves in, Escape closes it, focus returns to the host's button), loads its server-rendered
 * fragment, reloads it whenever the host's status moves (its own event stream), and runs the drawer's actions after
 * a confirmation dialog, as POSTs carrying the page's CSRF token.
 */
export const DASHBOARD_DRAWER_SCRIPT = String.raw`
(function () {
  'use strict';
  var drawer = document.getElementById('drawer');
  var body = document.getElementById('drawer-body');
  var status = document.getElementById('action-status');
  var confirmDialog = document.getElementById('confirm');
  var confirmTitle = document.getElementById('confirm-title');
  var confirmExplain = document.getElementById('confirm-explain');
  var confirmGo = document.getElementById('confirm-go');
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var hostId = null;
  var opener = null;
  var pending = null;
  var changes = null;

  function load(focusTitle) {
    var asked = hostId;
    return fetch('/dashboard/hosts/' + encodeURIComponent(asked), { credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.text();
      })
      .then(function (html) {
        if (asked !== hostId) return;
        var scroll = drawer.scrollTop;
        var hadFocus = body.contains(document.activeElement);
        body.innerHTML = html; // escaped on the server
        drawer.scrollTop = scroll;
        var title = document.getElementById('drawer-title');
        if ((focusTitle || hadFocus) && title) title.focus(); // keyboard users never lose their place to a reload
      })
      .catch(function (error) { body.textContent = 'Could not load the host: ' + error.message; });
  }
  function open(id, button) {
    hostId = id;
    opener = button;
    status.textContent = '';
    body.textContent = 'Loading…';
    if (!drawer.open) drawer.showModal();
    load(true);
    // Follows the host even when the table's filters or page leave it out.
    if (changes) changes.close();
    changes = new EventSource('/dashboard/hosts/' + encodeURIComponent(id) + '/events');
    changes.addEventListener('changed', function () { if (!confirmDialog.open) load(false); });
  }
  drawer.addEventListener('close', function () {
    var id = hostId;
    hostId = null;
    if (changes) changes.close();
    changes = null;
    var back = opener && document.contains(opener) ? opener : document.querySelector('[data-open-host="' + CSS.escape(id || '') + '"]');
    if (back) back.focus();
  });
  // A click on the backdrop (outside the drawer's box) closes it, as Escape does.
  drawer.addEventListener('click', function (event) { if (event.target === drawer) drawer.close(); });

  function ask(button) {
    var name = body.querySelector('.drawer-host').getAttribute('data-host-name');
    pending = { action: button.getAttribute('data-action'), label: button.getAttribute('data-label'), hostId: hostId };
    confirmTitle.textContent = pending.label + ' ' + name + '?';
    confirmExplain.textContent = button.getAttribute('data-explain');
    confirmGo.textContent = pending.label;
    confirmDialog.showModal();
  }
  function run(p) {
    status.textContent = p.label + ': sending…';
    fetch('/dashboard/hosts/' + encodeURIComponent(p.hostId) + '/' + p.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: '{}',
    })
      .then(function (res) { return res.json().catch(function () { return {}; }).then(function (b) { return { code: res.status, body: b }; }); })
      .then(function (res) {
        if (res.code === 202) {
          status.textContent = p.label + ' queued' + (res.body.enqueued === false ? ' (joined the run already queued)' : '') + (res.body.jobId ? ' · job ' + res.body.jobId : '');
        } else {
          var message = Array.isArray(res.body.message) ? res.body.message.join('; ') : res.body.message;
          status.textContent = p.label + ' refused (' + res.code + '): ' + (message || 'no reason given');
        }
      })
      .catch(function (error) { status.textContent = p.label + ' failed: ' + error.message; });
  }
  confirmGo.addEventListener('click', function () {
    var p = pending;
    pending = null;
    confirmDialog.close();
    if (p) run(p);
  });
  document.getElementById('confirm-cancel').addEventListener('click', function () { pending = null; confirmDialog.close(); });

  document.addEventListener('click', function (event) {
    var target = event.target.closest('[data-open-host], [data-close-drawer], #drawer [data-action]');
    if (!target) return;
    if (target.hasAttribute('data-open-host')) open(target.getAttribute('data-open-host'), target);
    else if (target.hasAttribute('data-close-drawer')) drawer.close();
    else ask(target);
  });
})();
`;
