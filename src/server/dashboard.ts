/**
 * The dashboard shell: one static page, public, with no data in it. It signs in (POST /api/session, a
 * session cookie), then polls /api/status and /api/dead-letters; replay / discard send the session's
 * CSRF token. To be replaced by the web console.
 */
import type { Reply } from './route-table.js';

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tandem</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px system-ui,sans-serif;margin:2rem;color:#222}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.pill{display:inline-block;padding:.1rem .5rem;border-radius:1rem;background:#eee;margin-right:.5rem}.dead{background:#fdd}.ok{background:#dfd}
button{cursor:pointer}code{font-size:12px}#error{color:#b00}label{margin-right:1rem}
</style></head><body>
<h1>Tandem <small id="systems"></small></h1>
<form id="login" hidden><p><label>User name <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></p></form>
<p id="who" hidden><span id="user"></span> <button id="logout" type="button">Sign out</button></p>
<div id="error"></div>
<div id="data" hidden>
<div id="jobs"></div>
<h2>Flows</h2><table id="flows"><thead><tr><th>entity</th><th>direction</th><th>schedule</th><th>webhooks</th></tr></thead><tbody></tbody></table>
<h2>Nodes</h2><table id="nodes"><thead><tr><th>node</th><th>host</th><th>pid</th><th>last seen</th><th>running jobs</th></tr></thead><tbody></tbody></table>
<h2>Recent runs</h2><table id="runs"><thead><tr><th>flow</th><th>kind</th><th>status</th><th>started</th><th>counts</th></tr></thead><tbody></tbody></table>
<h2>Dead letters</h2><table id="dead"><thead><tr><th>id</th><th>job</th><th>error</th><th></th></tr></thead><tbody></tbody></table>
</div>
<script>
let csrf = '';
let role = '';
let timer = null;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
function signedOut(message) {
  csrf = ''; role = '';
  if (timer) { clearInterval(timer); timer = null; }
  $('data').hidden = true; $('who').hidden = true; $('login').hidden = false;
  $('error').textContent = message || '';
}
function signedIn(s) {
  csrf = s.csrfToken || ''; role = s.role;
  $('login').hidden = true; $('who').hidden = false; $('data').hidden = false;
  $('user').textContent = s.user + ' (' + s.role + ')';
  refresh();
  if (!timer) timer = setInterval(refresh, 5000);
}
async function call(method, p, body) {
  const headers = body === undefined ? {} : { 'content-type': 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  const r = await fetch(p, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status === 401) { signedOut('Signed out: sign in again.'); throw new Error('401'); }
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(p + ': HTTP ' + r.status + (data.error ? ' — ' + data.error : ''));
  return data;
}
function rows(id, html) { document.querySelector('#' + id + ' tbody').innerHTML = html.join(''); }
async function act(id, verb) {
  try { await call('POST', '/api/dead-letters/' + encodeURIComponent(id) + '/' + verb, {}); } catch (e) { $('error').textContent = e.message; }
  refresh();
}
async function refresh() {
  try {
    const [s, dead, n] = await Promise.all([call('GET', '/api/status'), call('GET', '/api/dead-letters'), call('GET', '/api/nodes')]);
    $('error').textContent = '';
    $('systems').textContent = s.systems.shop + ' ⇄ ' + s.systems.erp;
    $('jobs').innerHTML = Object.entries(s.jobs).map(([k, v]) => '<span class="pill ' + (k === 'dead' && v ? 'dead' : '') + '" data-state="' + esc(k) + '">' + esc(k) + ': ' + esc(v) + '</span>').join('');
    rows('flows', s.flows.map((f) => '<tr><td>' + esc(f.entity) + '</td><td>' + esc(f.direction) + '</td><td>' + esc(f.schedule) + '</td><td>' + (f.webhooks ? 'on' : 'off') + '</td></tr>'));
    rows('runs', s.runs.map((r) => '<tr><td>' + esc(r.flow) + '</td><td>' + esc(r.kind) + '</td><td><span class="pill ' + (r.status === 'ok' ? 'ok' : 'dead') + '">' + esc(r.status) + '</span></td><td>' + esc(r.startedAt) + '</td><td><code>' + esc(JSON.stringify(r.counts)) + '</code></td></tr>'));
    rows('nodes', n.nodes.map((x) => '<tr><td><code>' + esc(x.id) + '</code></td><td>' + esc(x.host) + '</td><td>' + esc(x.pid) + '</td><td>' + esc(x.lastSeen) + '</td><td>' + esc(x.runningJobs) + '</td></tr>'));
    const operator = role === 'operator' || role === 'admin';
    rows('dead', dead.map((d) => '<tr data-id="' + esc(d.id) + '"><td>' + esc(d.id) + '</td><td>' + esc(d.kind) + '<br><code>' + esc(d.key) + '</code></td><td>' + esc(d.error && d.error.message) + (d.error && d.error.hint ? '<br><i>' + esc(d.error.hint) + '</i>' : '') + '</td><td>' + (operator ? '<button data-act="replay">replay</button> <button data-act="discard">discard</button>' : '') + '</td></tr>'));
  } catch (e) { if (e.message !== '401') $('error').textContent = e.message; }
}
$('dead').addEventListener('click', (ev) => {
  const b = ev.target.closest('button[data-act]');
  if (b) act(b.closest('tr').dataset.id, b.dataset.act);
});
$('login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const r = await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, credentials: 'same-origin', body: JSON.stringify({ username: f.get('username'), password: f.get('password') }) });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) { $('error').textContent = 'HTTP ' + r.status + ': ' + (data.error || 'sign-in failed'); return; }
  ev.target.reset();
  signedIn(data);
});
$('logout').addEventListener('click', async () => {
  await call('DELETE', '/api/session').catch(() => undefined);
  signedOut('Signed out.');
});
fetch('/api/session', { credentials: 'same-origin' }).then(async (r) => (r.ok ? signedIn(await r.json()) : signedOut(''))).catch((e) => signedOut(e.message));
</script></body></html>`;


const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** GET / and /dashboard: the shell (public: it holds no data; the data comes from /api/* after sign-in). */
export function dashboardShell(): Reply {
  return { body: DASHBOARD_HTML, type: 'text/html; charset=utf-8', headers: { 'content-security-policy': CSP } };
}
