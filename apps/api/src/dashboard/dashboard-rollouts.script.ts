/**
 * The relabel rollout region's script (plain ES2017, inlined). It builds no markup from data: the
 * cards arrive as server-escaped HTML (`hostnet-rollouts`, forwarded from the page's one event
 * stream), the status line is written with textContent. A re-render must not take the user's place:
 * unchanged cards stay the same nodes, a replaced card gets back the focus it had, and a section the
 * user opened or closed keeps that choice (the server opens the rollout in flight by default).
 */
export const DASHBOARD_ROLLOUTS_SCRIPT = String.raw`
(function () {
  'use strict';
  var list = document.getElementById('relabel-list');
  var status = document.getElementById('relabel-status');
  var chosen = {}; // details id → open, as the user left it

  function fragment(html) { var t = document.createElement('template'); t.innerHTML = html; return t.content; }

  // A click on a summary (mouse, Enter or Space) comes before its details toggles.
  list.addEventListener('click', function (event) {
    var summary = event.target.closest('summary');
    if (summary && summary.parentElement.id) chosen[summary.parentElement.id] = !summary.parentElement.open;
  });

  window.addEventListener('hostnet-rollouts', function (event) {
    var data = event.detail;
    var active = document.activeElement;
    var focused = active && active.id && list.contains(active) ? active.id : '';
    var next = Array.prototype.slice.call(fragment(data.html).children); // escaped on the server
    next.forEach(function (node, i) {
      var old = node.id ? document.getElementById(node.id) : null;
      if (old && old.getAttribute('data-fp') === node.getAttribute('data-fp')) node = old;
      else if (old) old.replaceWith(node);
      if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
    });
    while (list.children.length > next.length) list.lastElementChild.remove();
    Object.keys(chosen).forEach(function (id) {
      var details = document.getElementById(id);
      if (details && details.open !== chosen[id]) details.open = chosen[id];
    });
    if (focused && document.activeElement !== document.getElementById(focused)) {
      var again = document.getElementById(focused);
      if (again) again.focus({ preventScroll: true });
    }
    if (status.textContent !== data.status) status.textContent = data.status;
  });
})();
`;
