import { useState } from 'preact/hooks';
import { useApi } from '../hooks';
import { Loading, Pill, Time } from '../ui';

interface RunItem {
  id: string;
  flow: string;
  kind: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  seconds: number | null;
  summary: string;
}
interface Problem {
  jobId: string;
  kind: string;
  key: string | null;
  level: 'error' | 'warning';
  what: string;
  message: string | null;
  hint: string | null;
  at: string;
}

const tone = (s: string) => (s === 'ok' ? 'good' : s === 'running' ? 'neutral' : s === 'failed' ? 'bad' : 'warn');

export function Runs() {
  const [flow, setFlow] = useState('');
  const [status, setStatus] = useState('');
  const qs = new URLSearchParams({ ...(flow && { flow }), ...(status && { status }) }).toString();
  const r = useApi<{ runs: RunItem[]; problems: Problem[]; alerts: { at: string; type?: string; subject?: string; channels?: { channel: string; ok: boolean }[] }[] }>(`/api/runs${qs ? `?${qs}` : ''}`, ['runs', 'jobs']);
  return (
    <section aria-labelledby="h-runs">
      <h1 id="h-runs">Runs &amp; logs</h1>
      <form class="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Flow <input value={flow} onChange={(e) => setFlow(e.currentTarget.value.trim())} placeholder="product, customer, reconcile…" />
        </label>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="failed">failed</option>
            <option value="partial">partial</option>
            <option value="differences">differences</option>
            <option value="running">running</option>
          </select>
        </label>
      </form>
      <Loading error={r.error} loading={r.loading && !r.data} />
      {r.data && (
        <>
          <h2>Recent problems</h2>
          <ul class="plain problems">
            {r.data.problems.map((p) => (
              <li key={p.jobId} class={p.level}>
                <Pill tone={p.level === 'error' ? 'bad' : 'warn'}>{p.level}</Pill> <Time at={p.at} /> {p.kind} {p.key ?? ''}: {p.what} — {p.message ?? 'no message'}
                {p.hint && <div class="hint">What to do: {p.hint}</div>}
              </li>
            ))}
            {r.data.problems.length === 0 && <li class="muted">No failed or retrying jobs.</li>}
          </ul>
          <h2>Alerts sent</h2>
          <ul class="plain" id="alerts">
            {r.data.alerts.map((a, i) => (
              <li key={i}>
                <Time at={a.at} /> {a.subject ?? a.type} <span class="muted">{(a.channels ?? []).map((c) => `${c.channel}: ${c.ok ? 'delivered' : 'failed'}`).join(', ') || 'log only (no channel configured)'}</span>
              </li>
            ))}
            {r.data.alerts.length === 0 && <li class="muted">No alert sent.</li>}
          </ul>
          <h2>Run history</h2>
          <ul class="plain runs" id="runs">
            {r.data.runs.map((x) => (
              <li key={x.id}>
                <Pill tone={tone(x.status)}>{x.status}</Pill> <Time at={x.startedAt} /> — <strong>{x.summary}</strong> <span class="muted">({x.kind}{x.seconds !== null ? `, ${x.seconds.toFixed(1)} s` : ''})</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
