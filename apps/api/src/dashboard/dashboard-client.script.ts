/**
 * The dashboard's table script (plain ES2017, inlined: no build step, no CDN). It builds no markup
 * from data: rows, counts and pager arrive as server-escaped HTML, live job events are written with
 * textContent. EventSource sends the HttpOnly hostnet_token cookie; the script never sees the token.
 * Filters and paging reconnect the stream with the new query: the server answers with that `page`,
 * then `delta`s holding only the rows that changed.
 */
export const DASHBOARD_CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var rowsEl = document.getElementById('host-rows');
  var counts = document.getElementById('counts');
  var pager = document.getElementById('pager');
  var conn = document.getElementById('conn');
  var updated = document.getElementById('updated');
  var liveList = document.getElementById('live-jobs');
  var form = document.getElementById('filters');
  var live = new Map(); // running jobs only: a finished one leaves, so the map never outgrows the fleet's runs
  var source = null;
  var EMPTY_ROW = '<tr class="empty-row"><td colspan="11" class="empty">No host matches.</td></tr>';

  function fragment(html) { var t = document.createElement('template'); t.innerHTML = html; return t.content; }
  function rowOf(hostId) { return rowsEl.querySelector('tr.host[data-host-id="' + CSS.escape(hostId) + '"]'); }

  function describe(job) {
    if (job.state === 'active') return 'running';
    if (job.state === 'progress') return 'running: ' + formatProgress(job.progress);
    if (job.state === 'completed') return 'completed' + (job.status ? ' (' + job.status + ')' : '');
    if (job.state === 'failed') return 'failed: ' + (job.reason || 'unknown reason');
    return job.state;
  }
  function formatProgress(p) {
    if (typeof p === 'number') return p + '%';
    if (p && typeof p === 'object') {
      var parts = [];
      if (p.step) parts.push(String(p.step));
      if (typeof p.percent === 'number') parts.push(p.percent + '%');
      if (parts.length) return parts.join(' ');
    }
    return JSON.stringify(p);
  }
  function running(job) { return job.state === 'active' || job.state === 'progress'; }
  // A row without a running job keeps what its cell says: its finished job's last word, or nothing.
  function applyLiveTo(row) {
    var job = live.get(row.getAttribute('data-host-id'));
    if (job) row.querySelector('td.live').textContent = describe(job);
    row.classList.toggle('running', !!job);
  }
  function applyLive() {
    rowsEl.querySelectorAll('tr.host').forEach(applyLiveTo);
    liveList.textContent = '';
    live.forEach(function (job, hostId) {
      var li = document.createElement('li');
      li.textContent = hostId + ' (' + job.jobId + '): ' + describe(job);
      liveList.appendChild(li);
    });
    if (!liveList.firstChild) {
      var idle = document.createElement('li');
      idle.className = 'empty';
      idle.textContent = 'no job running';
      liveList.appendChild(idle);
    }
  }
  function stamp(data) {
    updated.textContent = 'statuses at ' + data.at;
    document.body.setAttribute('data-matched', String(data.matched));
  }

  function onPage(event) {
    var data = JSON.parse(event.data);
    rowsEl.replaceChildren(fragment(data.rows)); // escaped on the server
    counts.innerHTML = data.counts;
    pager.innerHTML = data.pager;
    stamp(data);
    applyLive();
  }
  function onDelta(event) {
    var data = JSON.parse(event.data);
    data.upserts.forEach(function (u) {
      var row = fragment(u.html).firstElementChild; // escaped on the server
      row.classList.add('changed');
      var old = rowOf(u.hostId);
      if (old) old.replaceWith(row); else rowsEl.appendChild(row);
    });
    data.removed.forEach(function (id) { var row = rowOf(id); if (row) row.remove(); });
    var placeholder = rowsEl.querySelector('tr.empty-row');
    if (placeholder && data.order.length) placeholder.remove();
    data.order.forEach(function (id) { var row = rowOf(id); if (row) rowsEl.appendChild(row); });
    if (!data.order.length) rowsEl.innerHTML = EMPTY_ROW;
    if (data.counts !== undefined) counts.innerHTML = data.counts;
    if (data.pager !== undefined) pager.innerHTML = data.pager;
    stamp(data);
    applyLive();
  }

  function connect(search) {
    if (source) source.close();
    conn.textContent = 'connecting…';
    conn.className = '';
    source = new EventSource('/dashboard/events' + search);
    source.onopen = function () { conn.textContent = 'live'; conn.className = 'ok'; };
    source.onerror = function () { conn.textContent = 'reconnecting…'; conn.className = 'bad'; };
    source.addEventListener('page', onPage);
    source.addEventListener('delta', onDelta);
    // The rollout region has its own script (dashboard-rollouts.script.ts); it gets the stream's events from here.
    source.addEventListener('rollouts', function (event) {
      window.dispatchEvent(new CustomEvent('hostnet-rollouts', { detail: JSON.parse(event.data) }));
    });
    ['active', 'progress', 'completed', 'failed'].forEach(function (state) {
      source.addEventListener(state, function (event) {
        var job = JSON.parse(event.data);
        if (running(job)) live.set(job.hostId || job.jobId, job);
        else live.delete(job.hostId || job.jobId);
        var row = job.hostId && rowOf(job.hostId);
        if (row) row.querySelector('td.live').textContent = describe(job);
        applyLive();
      });
    });
  }

  // Filters and pages: the same query string the plain form and links would load, shown in place.
  function searchOfForm(page) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value && !(key === 'size' && value === '50')) params.set(key, String(value));
    });
    if (page > 1) params.set('page', String(page));
    var s = params.toString();
    return s ? '?' + s : '';
  }
  function syncForm(search) {
    var params = new URLSearchParams(search);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      el.value = params.get(el.name) || (el.name === 'size' ? '50' : '');
    });
  }
  function show(search) {
    if (search !== location.search) history.pushState(null, '', '/dashboard' + search);
    connect(search);
  }
  form.addEventListener('submit', function (event) { event.preventDefault(); show(searchOfForm(1)); });
  form.addEventListener('change', function (event) { if (event.target.tagName === 'SELECT') show(searchOfForm(1)); });
  var typing = null;
  form.q.addEventListener('input', function () {
    clearTimeout(typing);
    typing = setTimeout(function () { show(searchOfForm(1)); }, 300);
  });
  document.addEventListener('click', function (event) {
    var link = event.target.closest('a[data-filter-phase], a[data-page], #clear-filters');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var search = new URL(link.href).search;
    syncForm(search);
    show(search);
  });
  window.addEventListener('popstate', function () { syncForm(location.search); connect(location.search); });

  connect(location.search);
  applyLive();
})();
`;
