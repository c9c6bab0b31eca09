/**
 * The dashboard's browser script (plain ES2017, inlined: no build step, no CDN). It renders no
 * markup from data: snapshots carry server-escaped HTML, live job events are written with textContent.
 * EventSource sends the HttpOnly hostnet_token cookie, so the script never handles the token.
 */
export const DASHBOARD_CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var tree = document.getElementById('tree');
  var summary = document.getElementById('summary');
  var conn = document.getElementById('conn');
  var updated = document.getElementById('updated');
  var liveList = document.getElementById('live-jobs');
  var live = new Map();

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

  function applyLive() {
    var rows = tree.querySelectorAll('tr.host');
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var job = live.get(row.getAttribute('data-host-id'));
      row.querySelector('td.live').textContent = job ? describe(job) : '';
      row.classList.toggle('running', !!job && running(job));
    }
    liveList.textContent = '';
    live.forEach(function (job, hostId) {
      if (!running(job)) return;
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

  var source = new EventSource(location.pathname.replace(/\/?$/, '/events'));
  source.onopen = function () { conn.textContent = 'live'; conn.className = 'ok'; };
  source.onerror = function () { conn.textContent = 'reconnecting…'; conn.className = 'bad'; };
  source.addEventListener('snapshot', function (event) {
    var data = JSON.parse(event.data);
    tree.innerHTML = data.html;       // escaped on the server
    summary.innerHTML = data.summary; // escaped on the server
    updated.textContent = 'statuses at ' + data.at;
    applyLive();
  });
  ['active', 'progress', 'completed', 'failed'].forEach(function (state) {
    source.addEventListener(state, function (event) {
      var job = JSON.parse(event.data);
      live.set(job.hostId || job.jobId, job);
      applyLive();
    });
  });
  applyLive();
})();
`;
