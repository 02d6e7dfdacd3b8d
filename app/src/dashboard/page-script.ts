/**
 * The dashboard's browser script (plain ES2017, no build step). It never builds HTML from data:
 * environment rows arrive as server-escaped HTML over the event stream, and everything else
 * (command output, activity lines) is set with `textContent`. Buttons send the same command text
 * a person would type, so the server's grammar, access checks and audit apply unchanged.
 *
 * Kept free of backticks and dollar-brace so it can live in this template string as is.
 */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var me = (document.body.getAttribute('data-me') || '').split(' ');
  var envs = document.getElementById('envs');
  var out = document.getElementById('out');
  var live = document.getElementById('live');
  var activity = document.getElementById('activity');
  var chart = document.getElementById('chart');
  var params = new URLSearchParams(location.search);
  var filter = ['all', 'mine', 'stopped'].indexOf(params.get('filter')) >= 0 ? params.get('filter') : 'all';

  function applyFilter() {
    var rows = envs.querySelectorAll('tr[data-name]');
    var counts = { all: 0, mine: 0, stopped: 0 };
    var shown = 0;
    rows.forEach(function (tr) {
      var mine = me.indexOf(tr.getAttribute('data-owner')) >= 0;
      var status = tr.getAttribute('data-status');
      var stopped = status === 'stopped' || status === 'stopping';
      counts.all++;
      if (mine) counts.mine++;
      if (stopped) counts.stopped++;
      var show = filter === 'all' || (filter === 'mine' && mine) || (filter === 'stopped' && stopped);
      tr.hidden = !show;
      if (show) shown++;
    });
    document.querySelectorAll('[data-filter]').forEach(function (b) {
      var f = b.getAttribute('data-filter');
      b.setAttribute('aria-pressed', String(f === filter));
      b.querySelector('.count').textContent = String(counts[f]);
    });
    document.getElementById('nomatch').hidden = !(rows.length > 0 && shown === 0);
  }

  document.querySelectorAll('[data-filter]').forEach(function (b) {
    b.addEventListener('click', function () {
      filter = b.getAttribute('data-filter');
      var url = new URL(location.href);
      url.searchParams.set('filter', filter);
      history.replaceState(null, '', url);
      applyFilter();
    });
  });

  function show(kind, text) {
    out.hidden = false;
    out.setAttribute('data-kind', kind);
    out.textContent = text;
  }

  // Slack-style *bold* reads fine without its markers.
  function plain(text) {
    return String(text || '').replace(/\\*([^*\\n]+)\\*/g, '$1');
  }

  function run(text) {
    show('pending', 'Running: ' + text);
    return fetch('/dashboard/api/command', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: text })
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        show(body.kind || 'error', plain(body.text || body.error || ('The bot answered HTTP ' + res.status)));
      });
    }).catch(function () {
      // Behind the load balancer an expired sign-in turns into a redirect fetch cannot follow.
      show('error', 'The bot did not answer: it may have stopped, or your sign-in expired — reload the page.');
    });
  }

  document.getElementById('cmd').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = document.getElementById('cmd-text');
    var text = input.value.trim();
    if (!text) return;
    var button = e.target.querySelector('button');
    button.disabled = true;
    run(text).then(function () { button.disabled = false; input.select(); });
  });

  // Destroy asks first (like Slack's confirm dialog); Extend asks for how long.
  var ask = document.getElementById('ask');
  function confirmAction(o) {
    document.getElementById('ask-title').textContent = o.title;
    document.getElementById('ask-text').textContent = o.text;
    document.getElementById('ask-field').hidden = !o.field;
    var ok = document.getElementById('ask-ok');
    ok.textContent = o.ok;
    ok.className = 'btn ' + (o.danger ? 'danger solid' : 'primary');
    document.getElementById('ask-cancel').textContent = o.cancel;
    ask.returnValue = '';
    ask.showModal();
    ask.addEventListener('close', function onClose() {
      ask.removeEventListener('close', onClose);
      if (ask.returnValue === 'ok') o.then(document.getElementById('ask-duration').value.trim());
    });
  }

  envs.addEventListener('click', function (e) {
    var button = e.target.closest('button[data-action]');
    if (!button) return;
    var name = button.getAttribute('data-name');
    var action = button.getAttribute('data-action');
    if (action === 'destroy') {
      confirmAction({
        title: 'Destroy ' + name + '?',
        text: 'This deletes ' + name + ': its service, load balancer rule, schedules and its own config. It cannot be undone.',
        ok: 'Destroy', cancel: 'Keep it', danger: true,
        then: function () { run('down ' + name); }
      });
    } else if (action === 'extend') {
      confirmAction({
        title: 'Postpone tonight\\'s auto-stop of ' + name,
        text: 'For how long? For example 2h, 90m or 1d.',
        ok: 'Extend', cancel: 'Cancel', field: true,
        then: function (d) { if (d) run('extend ' + name + ' ' + d); }
      });
    } else {
      button.disabled = true;
      run((action === 'retry' ? 'start' : action) + ' ' + name);
    }
  });

  function addActivity(text, at) {
    var placeholder = activity.querySelector('.dim');
    if (placeholder) placeholder.remove();
    var li = document.createElement('li');
    var time = document.createElement('time');
    time.textContent = new Date(at).toLocaleTimeString();
    li.appendChild(time);
    li.appendChild(document.createTextNode(text));
    activity.insertBefore(li, activity.firstChild);
    while (activity.children.length > 12) activity.removeChild(activity.lastChild);
  }

  var chartRefreshed = Date.now();
  function refreshChart(force) {
    if (!force && Date.now() - chartRefreshed < 30000) return;
    chartRefreshed = Date.now();
    chart.src = '/dashboard/cost-chart.svg?t=' + chartRefreshed;
  }
  setInterval(function () { refreshChart(true); }, 300000);

  function connect() {
    var source = new EventSource('/dashboard/events');
    source.addEventListener('open', function () {
      live.textContent = 'live';
      live.className = 'live on';
    });
    source.addEventListener('error', function () {
      live.className = 'live off';
      if (source.readyState !== EventSource.CLOSED) {
        live.textContent = 'reconnecting…';
        return;
      }
      // The browser gave up (e.g. a sign-in redirect): try again later ourselves.
      live.textContent = 'disconnected — retrying (reload the page if this stays)';
      setTimeout(connect, 10000);
    });
    source.addEventListener('environments', function (e) {
      var data = JSON.parse(e.data);
      envs.innerHTML = data.html;
      applyFilter();
      refreshChart(false);
    });
    source.addEventListener('notice', function (e) {
      var n = JSON.parse(e.data);
      addActivity(n.text, n.at);
    });
  }

  applyFilter();
  connect();
})();
`;
