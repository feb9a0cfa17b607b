/** The dashboard: one static page that polls /api/status and /api/dead-letters (replay / discard buttons). */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tandem</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px system-ui,sans-serif;margin:2rem;color:#222}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.pill{display:inline-block;padding:.1rem .5rem;border-radius:1rem;background:#eee;margin-right:.5rem}.dead{background:#fdd}.ok{background:#dfd}
button{cursor:pointer}code{font-size:12px}#error{color:#b00}
</style></head><body>
<h1>Tandem <small id="systems"></small></h1>
<div id="error"></div>
<div id="jobs"></div>
<h2>Flows</h2><table id="flows"><thead><tr><th>entity</th><th>direction</th><th>schedule</th><th>webhooks</th></tr></thead><tbody></tbody></table>
<h2>Recent runs</h2><table id="runs"><thead><tr><th>flow</th><th>kind</th><th>status</th><th>started</th><th>counts</th></tr></thead><tbody></tbody></table>
<h2>Dead letters</h2><table id="dead"><thead><tr><th>id</th><th>job</th><th>error</th><th></th></tr></thead><tbody></tbody></table>
<script>
const token = new URLSearchParams(location.search).get('token') || '';
const headers = token ? { authorization: 'Bearer ' + token } : {};
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
async function get(p) { const r = await fetch(p, { headers }); if (!r.ok) throw new Error(p + ': HTTP ' + r.status); return r.json(); }
function rows(id, html) { document.querySelector('#' + id + ' tbody').innerHTML = html.join(''); }
async function act(id, verb) { await fetch('/api/dead-letters/' + id + '/' + verb, { method: 'POST', headers }); refresh(); }
async function refresh() {
  try {
    const [s, dead] = await Promise.all([get('/api/status'), get('/api/dead-letters')]);
    document.getElementById('error').textContent = '';
    document.getElementById('systems').textContent = s.systems.shop + ' ⇄ ' + s.systems.erp;
    document.getElementById('jobs').innerHTML = Object.entries(s.jobs).map(([k, v]) => '<span class="pill ' + (k === 'dead' && v ? 'dead' : '') + '" data-state="' + k + '">' + k + ': ' + v + '</span>').join('');
    rows('flows', s.flows.map((f) => '<tr><td>' + esc(f.entity) + '</td><td>' + esc(f.direction) + '</td><td>' + esc(f.schedule) + '</td><td>' + (f.webhooks ? 'on' : 'off') + '</td></tr>'));
    rows('runs', s.runs.map((r) => '<tr><td>' + esc(r.flow) + '</td><td>' + esc(r.kind) + '</td><td><span class="pill ' + (r.status === 'ok' ? 'ok' : 'dead') + '">' + esc(r.status) + '</span></td><td>' + esc(r.startedAt) + '</td><td><code>' + esc(JSON.stringify(r.counts)) + '</code></td></tr>'));
    rows('dead', dead.map((d) => '<tr data-id="' + esc(d.id) + '"><td>' + esc(d.id) + '</td><td>' + esc(d.kind) + '<br><code>' + esc(d.key) + '</code></td><td>' + esc(d.error && d.error.message) + (d.error && d.error.hint ? '<br><i>' + esc(d.error.hint) + '</i>' : '') + '</td><td><button onclick="act(\\'' + esc(d.id) + '\\',\\'replay\\')">replay</button> <button onclick="act(\\'' + esc(d.id) + '\\',\\'discard\\')">discard</button></td></tr>'));
  } catch (e) { document.getElementById('error').textContent = e.message; }
}
refresh(); setInterval(refresh, 5000);
</script></body></html>`;
