/* netkit page of the Felix Web Console: tables and live charts from data.json, polled every second.
   Plain JavaScript and <canvas>, no library. window.netkitPage holds the state (tests read it). */
(function () {
  'use strict';
  var el = document.getElementById('netkit');
  if (!el) { return; }
  // absolute from the origin: a page opened as http://user:pass@host/ must not hand fetch() its credentials
  var root = window.location.origin + el.getAttribute('data-root');
  var token = el.getAttribute('data-token');
  var POINTS = 60;
  var page = window.netkitPage = {
    polls: 0, errors: 0, last: null,
    ifaces: {},   // "stack/iface" -> {prev, series: {rx: [], tx: [], drops: [], retrans: []}}
    conns: {},    // "stack/proto local remote #token" -> {prev, series: {tput: [], retrans: []}, ...}
    swaps: 0
  };

  function text(s) { return s === null || s === undefined ? '' : String(s); }
  function esc(s) {
    return text(s).replace(/[&<>'"]/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' }[c];
    });
  }
  function idPart(s) { return text(s).replace(/[^A-Za-z0-9_-]/g, '_'); }
  function push(arr, v) { arr.push(v); if (arr.length > POINTS) { arr.shift(); } }
  function num(s) { var n = parseFloat(s); return isNaN(n) ? null : n; }
  function rate(now, prev, dt) { return prev === undefined || now < prev || dt <= 0 ? 0 : (now - prev) / dt; }
  function fmtBits(bps) {
    if (bps >= 1e9) { return (bps / 1e9).toFixed(2) + ' Gbit/s'; }
    if (bps >= 1e6) { return (bps / 1e6).toFixed(2) + ' Mbit/s'; }
    if (bps >= 1e3) { return (bps / 1e3).toFixed(1) + ' kbit/s'; }
    return bps.toFixed(0) + ' bit/s';
  }

  /* One chart: series [{name, color, data}], values >= 0; the y scale follows the largest. */
  function draw(canvas, series, unit) {
    var ctx = canvas.getContext('2d');
    var w = canvas.width, h = canvas.height, left = 64, top = 8, bottom = 18;
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h);
    var max = unit === 'bit/s' ? 1000 : 1; // an idle chart still has a readable scale
    series.forEach(function (s) { s.data.forEach(function (v) { if (v > max) { max = v; } }); });
    var top10 = max <= 0 ? 1 : Math.pow(10, Math.ceil(Math.log(max) / Math.LN10));
    var scale = [0.1, 0.2, 0.25, 0.5, 1].map(function (f) { return f * top10; })
      .filter(function (v) { return v >= max; })[0] || top10;
    ctx.strokeStyle = '#ccc'; ctx.fillStyle = '#444'; ctx.font = '10px sans-serif';
    for (var i = 0; i <= 4; i++) {
      var y = top + (h - top - bottom) * i / 4;
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(w - 4, y); ctx.stroke();
      var v = scale * (4 - i) / 4;
      ctx.fillText(unit === 'bit/s' ? fmtBits(v) : (v < 10 ? v.toFixed(1) : v.toFixed(0)) + ' ' + unit, 2, y + 3);
    }
    var lx = left;
    series.forEach(function (s) {
      ctx.strokeStyle = s.color; ctx.lineWidth = 1.5; ctx.beginPath();
      s.data.forEach(function (val, k) {
        var x = left + (w - 4 - left) * (k + POINTS - s.data.length) / (POINTS - 1);
        var yy = top + (h - top - bottom) * (1 - val / scale);
        if (k === 0) { ctx.moveTo(x, yy); } else { ctx.lineTo(x, yy); }
      });
      ctx.stroke(); ctx.lineWidth = 1;
      ctx.fillStyle = s.color; ctx.fillText(s.name, lx, h - 4); lx += ctx.measureText(s.name).width + 14;
    });
  }

  function table(headers, rows) {
    var s = '<table class="nicetable nk-table"><thead><tr>';
    headers.forEach(function (x) { s += '<th>' + esc(x) + '</th>'; });
    s += '</tr></thead><tbody>';
    if (rows.length === 0) { s += '<tr><td colspan="' + headers.length + '">none</td></tr>'; }
    rows.forEach(function (r) {
      s += '<tr' + (r.attrs || '') + '>';
      r.cells.forEach(function (c) { s += '<td>' + esc(c) + '</td>'; });
      s += '</tr>';
    });
    return s + '</tbody></table>';
  }

  function ifaceOf(stack, address) {
    var found = null;
    stack.interfaces.forEach(function (i) {
      if (i.address && i.address.split('/')[0] === address) { found = i.name; }
    });
    return found;
  }

  function update(data) {
    var dtAll = page.last ? (data.time - page.last.time) / 1000 : 0;
    page.polls++;
    var html = '', seen = {};
    data.stacks.forEach(function (st) {
      var sid = idPart(st.name);
      // per-connection state first: per-interface retransmissions are the sum over its connections
      var retransByIface = {};
      st.sockets.forEach(function (s) {
        if (s.protocol !== 'tcp') { return; }
        var key = st.name + '/' + s.protocol + ' ' + s.local + ' ' + s.remote + ' #' + s.token;
        var c = page.conns[key] || (page.conns[key] = { series: { tput: [], retrans: [] }, id: 'nk-c-' + idPart(key) });
        seen[key] = true;
        var d = s.details || {};
        var retrans = num(d.retrans) || 0;
        var bytes = null;
        if (d.bytes_acked !== undefined || d.bytes_received !== undefined) {
          bytes = (num(d.bytes_acked) || 0) + (num(d.bytes_received) || 0);
        }
        var dr = c.prev ? Math.max(0, retrans - c.prev.retrans) : 0;
        push(c.series.retrans, dtAll > 0 ? dr / dtAll : 0);
        c.hasBytes = bytes !== null;
        push(c.series.tput, bytes !== null && c.prev && c.prev.bytes !== null ? rate(bytes, c.prev.bytes, dtAll) * 8 : 0);
        c.prev = { retrans: retrans, bytes: bytes };
        c.socket = s; c.stack = st.name;
        var ifn = ifaceOf(st, s.localAddress);
        if (ifn) { retransByIface[ifn] = (retransByIface[ifn] || 0) + dr; }
      });
      st.interfaces.forEach(function (i) {
        var key = st.name + '/' + i.name;
        var e = page.ifaces[key] || (page.ifaces[key] = { series: { rx: [], tx: [], drops: [], retrans: [] } });
        seen['if:' + key] = true;
        var c = i.counters, p = e.prev;
        var drops = c.rxDropped + c.txDropped + c.rxErrors + c.txErrors + Math.max(0, c.rxOverruns);
        push(e.series.rx, p ? rate(c.rxBytes, p.rxBytes, dtAll) * 8 : 0);
        push(e.series.tx, p ? rate(c.txBytes, p.txBytes, dtAll) * 8 : 0);
        push(e.series.drops, p ? rate(drops, p.drops, dtAll) : 0);
        push(e.series.retrans, dtAll > 0 ? (retransByIface[i.name] || 0) / dtAll : 0);
        e.prev = { rxBytes: c.rxBytes, txBytes: c.txBytes, drops: drops };
        e.iface = i;
      });

      html += '<h2 class="nk-h">Stack ' + esc(st.name) + '</h2>';
      html += '<h3 class="nk-h">Interfaces</h3>';
      html += table(['Interface', 'Driver', 'State', 'Address', 'MAC', 'MTU', 'RX packets', 'RX bytes', 'RX errors',
        'RX dropped', 'TX packets', 'TX bytes', 'TX errors', 'TX dropped', 'RX rate', 'TX rate'],
        st.interfaces.map(function (i) {
          var e = page.ifaces[st.name + '/' + i.name], c = i.counters;
          var state = (i.up ? 'UP' : 'DOWN') + (i.running ? ',RUNNING' : '') + (i.lastError ? ' (' + i.lastError + ')' : '');
          return { attrs: ' id="nk-if-' + sid + '-' + idPart(i.name) + '" data-iface="' + esc(i.name) + '" data-driver="'
              + esc(i.driver) + '"',
            cells: [i.name, i.driver, state, (i.address || '-') + (i.dynamic ? ' dynamic' : ''), i.mac || '-', i.mtu,
              c.rxPackets, c.rxBytes, c.rxErrors, c.rxDropped + (c.rxOverruns > 0 ? ' (+' + c.rxOverruns + ' overruns)' : ''),
              c.txPackets, c.txBytes, c.txErrors, c.txDropped,
              fmtBits(e.series.rx[e.series.rx.length - 1]), fmtBits(e.series.tx[e.series.tx.length - 1])] };
        }));
      html += '<h3 class="nk-h">Per interface: throughput, retransmissions and drops</h3><div class="nk-charts">';
      st.interfaces.forEach(function (i) {
        var id = 'nk-chart-' + sid + '-' + idPart(i.name);
        html += '<figure class="nk-fig"><figcaption>' + esc(i.name) + ' (' + esc(i.driver) + ')</figcaption>'
          + '<canvas id="' + id + '-tput" class="nk-chart" width="420" height="130" data-iface="' + esc(i.name) + '"></canvas>'
          + '<canvas id="' + id + '-events" class="nk-chart" width="420" height="100" data-iface="' + esc(i.name) + '"></canvas>'
          + '</figure>';
      });
      html += '</div>';
      var tcp = st.sockets.filter(function (s) { return s.protocol === 'tcp' && s.remote !== '*:*'; });
      html += '<h3 class="nk-h">Per connection: throughput and retransmissions</h3><div class="nk-charts">';
      if (tcp.length === 0) { html += '<p>no TCP connection</p>'; }
      tcp.forEach(function (s) {
        var key = st.name + '/' + s.protocol + ' ' + s.local + ' ' + s.remote + ' #' + s.token;
        var c = page.conns[key];
        html += '<figure class="nk-fig"><figcaption>' + esc(s.local + ' \u2192 ' + s.remote + ' ' + s.state + ' (' + s.owner + ')')
          + '</figcaption><canvas id="' + c.id + '" class="nk-chart" width="420" height="110"></canvas>'
          + (c.hasBytes ? '' : '<br><small>throughput needs the connection\u2019s byte counters (bytes_acked, '
            + 'bytes_received), which this TCP does not report</small>') + '</figure>';
      });
      html += '</div>';
      html += '<h3 class="nk-h">Routes</h3>' + table(['Destination', 'Gateway', 'Interface', 'Source', 'Origin', 'Metric'],
        st.routes.map(function (r) { return { cells: [r.destination, r.gateway || '-', r.iface, r.source || '-', r.origin, r.metric] }; }));
      html += '<h3 class="nk-h">ARP (neighbours)</h3>' + table(['Address', 'MAC', 'Interface', 'State', 'Age ms', 'Queued'],
        st.arp.map(function (a) { return { cells: [a.address, a.mac || '(incomplete)', a.iface, a.state, a.ageMillis, a.queued] }; }));
      html += '<h3 class="nk-h">Sockets</h3>' + table(['Proto', 'Token', 'Owner', 'Local', 'Remote', 'State', 'Recv-Q',
        'Send-Q', 'srtt', 'cwnd', 'retrans', 'details'],
        st.sockets.map(function (s) {
          var d = s.details || {}, rest = [];
          Object.keys(d).forEach(function (k) { if (k !== 'srtt' && k !== 'cwnd' && k !== 'retrans') { rest.push(k + '=' + d[k]); } });
          return { attrs: ' class="nk-sock" data-state="' + esc(s.state) + '"',
            cells: [s.protocol, s.token < 0 ? '-' : s.token, s.owner, s.local, s.remote, s.state, s.recvQ, s.sendQ,
              d.srtt || '-', d.cwnd || '-', d.retrans || '-', rest.join(' ')] };
        }));
      var tc = st.counters.tcp;
      html += '<p class="nk-small">TCP: ' + esc(Object.keys(tc).filter(function (k) { return tc[k] !== 0; })
        .map(function (k) { return k + ' ' + tc[k]; }).join(', ')) + '</p>';
    });
    Object.keys(page.conns).forEach(function (k) { if (!seen[k]) { delete page.conns[k]; } });
    Object.keys(page.ifaces).forEach(function (k) { if (!seen['if:' + k]) { delete page.ifaces[k]; } });
    document.getElementById('nk-stacks').innerHTML = html;

    data.stacks.forEach(function (st) {
      var sid = idPart(st.name);
      st.interfaces.forEach(function (i) {
        var e = page.ifaces[st.name + '/' + i.name], id = 'nk-chart-' + sid + '-' + idPart(i.name);
        draw(document.getElementById(id + '-tput'), [
          { name: 'RX', color: '#1f77b4', data: e.series.rx }, { name: 'TX', color: '#2ca02c', data: e.series.tx }], 'bit/s');
        draw(document.getElementById(id + '-events'), [
          { name: 'retransmissions/s', color: '#ff7f0e', data: e.series.retrans },
          { name: 'drops+errors/s', color: '#d62728', data: e.series.drops }], '/s');
      });
    });
    Object.keys(page.conns).forEach(function (k) {
      var c = page.conns[k], canvas = document.getElementById(c.id);
      if (!canvas) { return; }
      var s = [{ name: 'retransmissions/s', color: '#ff7f0e', data: c.series.retrans }];
      if (c.hasBytes) { s.unshift({ name: 'throughput', color: '#1f77b4', data: c.series.tput }); }
      draw(canvas, s, c.hasBytes ? 'bit/s' : '/s');
    });
    swapForm(data);
    page.last = data;
    document.getElementById('nk-status').textContent = 'netkit: ' + data.stacks.length + ' stack(s), updated '
      + new Date(data.time).toLocaleTimeString() + ' (poll ' + page.polls + ')';
  }

  function setOptions(select, values) {
    var now = Array.prototype.map.call(select.options, function (o) { return o.value; }).join(' ');
    if (now === values.join(' ')) { return; }
    var keep = select.value;
    select.innerHTML = '';
    values.forEach(function (v) { var o = document.createElement('option'); o.value = v; o.textContent = v; select.appendChild(o); });
    if (values.indexOf(keep) >= 0) { select.value = keep; }
  }

  function swapForm(data) {
    var names = [];
    data.stacks.forEach(function (st) { st.interfaces.forEach(function (i) { if (names.indexOf(i.name) < 0) { names.push(i.name); } }); });
    setOptions(document.getElementById('nk-swap-iface'), names);
    setOptions(document.getElementById('nk-swap-driver'), data.drivers);
    document.getElementById('nk-swap-go').disabled = !data.swap;
    if (!data.swap) { document.getElementById('nk-swap-result').textContent = 'link swap needs the netkit console commands'; }
  }

  document.getElementById('nk-swap').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var out = document.getElementById('nk-swap-result');
    var body = new URLSearchParams();
    body.set('iface', document.getElementById('nk-swap-iface').value);
    body.set('driver', document.getElementById('nk-swap-driver').value);
    body.set('params', document.getElementById('nk-swap-params').value);
    out.className = ''; out.textContent = 'swapping...';
    fetch(root + '/swap', { method: 'POST', credentials: 'same-origin', body: body,
      headers: { 'X-Netkit-Token': token } })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        page.swaps++;
        out.className = j.ok ? 'nk-ok' : 'nk-err';
        out.textContent = j.ok ? j.message : 'error: ' + j.error;
        poll();
      })
      .catch(function (e) { out.className = 'nk-err'; out.textContent = 'error: ' + e; });
  });

  function poll() {
    fetch(root + '/data.json', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
      .then(update)
      .catch(function (e) { page.errors++; document.getElementById('nk-status').textContent = 'netkit: ' + e; });
  }
  poll();
  setInterval(poll, 1000);
}());
