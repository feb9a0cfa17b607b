import { useState } from 'preact/hooks';
import { can, post, type Session } from '../api';
import { Bars } from '../chart';
import { useApi } from '../hooks';
import { Link } from '../router';
import { Loading, Notice, Pill, Time, count } from '../ui';
import { Nodes } from './Nodes';
import { POLLING_HINT, WebhookCell } from './WebhookCell';
import { WebhookRegistrations, type Registrations } from './WebhookRegistrations';

interface OverviewData {
  systems: { side: string; name: string; type: string; lastSuccess: string | null; runs24h: number; failedRuns24h: number; errors24h: number; deadLetters24h: number; rateLimitedJobs: number }[];
  webhooks: { url: string | null; managed: boolean; registrations: Registrations | null };
  queue: Record<string, { queued: number; running: number; dead: number }>;
  flows: { entity: string; direction: string; enabled: boolean; webhooks: boolean; webhookState: string; lastSuccess: string | null; lagSeconds: number | null; lastWebhook: string | null }[];
  ordersToday: number;
  series: { hour: string; orders: number; records: number; failures: number }[];
  latency: { p50: number | null; p95: number | null; orders: number };
}

export function duration(seconds: number | null): string {
  if (seconds === null) return 'never synced';
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

export function Overview({ session }: { session: Session }) {
  const o = useApi<OverviewData>('/api/overview', ['jobs', 'runs', 'orders']);
  const [repair, setRepair] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const d = o.data;
  return (
    <section aria-labelledby="h-overview">
      <h1 id="h-overview">Overview</h1>
      <Loading error={o.error} loading={o.loading && !d} />
      {d && (
        <>
          <div class="cards">
            {d.systems.map((s) => (
              <article class="card" key={s.side} data-system={s.side}>
                <h2>
                  {s.name} <span class="muted">({s.side === 'shop' ? 'shop' : 'ERP'}, {s.type})</span>
                </h2>
                <p>
                  {s.errors24h === 0 ? <Pill tone="good">no errors in 24 h</Pill> : <Pill tone="bad">{count(s.errors24h, 'error')} in 24 h ({count(s.deadLetters24h, 'dead letter')})</Pill>}
                  {s.rateLimitedJobs > 0 && <Pill tone="warn">rate limited: {s.rateLimitedJobs} jobs waiting</Pill>}
                </p>
                <p class="muted">
                  Last successful sync: <Time at={s.lastSuccess} /> · {s.runs24h} runs in 24 h{s.failedRuns24h ? `, ${s.failedRuns24h} failed` : ''}
                </p>
              </article>
            ))}
            <article class="card">
              <h2>Orders today</h2>
              <p class="big" id="orders-today">{d.ordersToday}</p>
              <p class="muted">
                Placed → in the ERP: p50 {d.latency.p50 === null ? '—' : `${(d.latency.p50 / 1000).toFixed(1)} s`}, p95 {d.latency.p95 === null ? '—' : `${(d.latency.p95 / 1000).toFixed(1)} s`} ({count(d.latency.orders, 'order')}, 24 h)
              </p>
            </article>
          </div>
          <h2>Last 24 hours</h2>
          <div class="charts">
            <Bars title="Orders per hour" values={d.series.map((s) => s.orders)} hours={d.series.map((s) => s.hour)} />
            <Bars title="Records synced" values={d.series.map((s) => s.records)} hours={d.series.map((s) => s.hour)} tone="green" />
            <Bars title="Failures" values={d.series.map((s) => s.failures)} hours={d.series.map((s) => s.hour)} tone="red" />
          </div>
          <h2>Flows</h2>
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Flow</th>
                  <th scope="col">Direction</th>
                  <th scope="col">Last synced</th>
                  <th scope="col">Lag</th>
                  <th scope="col">Webhooks</th>
                </tr>
              </thead>
              <tbody>
                {d.flows.map((f) => (
                  <tr key={f.entity + f.direction}>
                    <td>{f.entity}</td>
                    <td>{f.direction.replace('->', ' → ')}</td>
                    <td>
                      <Time at={f.lastSuccess} />
                    </td>
                    <td>{f.enabled ? duration(f.lagSeconds) : <Pill tone="neutral">disabled</Pill>}</td>
                    <td>
                      <WebhookCell flow={f} unregistered={d.webhooks.managed && !d.webhooks.url} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            Webhooks: {!d.webhooks.managed ? 'this shop sends webhooks configured on its side' : d.webhooks.url ? `registered by Tandem at ${d.webhooks.url}` : `not registered, server.publicUrl is not set: polling only. ${POLLING_HINT}`}{' '}
            {can(session, 'operator') && d.webhooks.managed && (
              <button
                type="button"
                onClick={() =>
                  post<{ message: string }>('/api/webhooks/repair')
                    .then((r) => setRepair({ kind: 'ok', text: r.message }))
                    .catch((e: Error) => setRepair({ kind: 'error', text: e.message }))
                }
              >
                Check and repair webhooks
              </button>
            )}
          </p>
          {repair && <Notice kind={repair.kind}>{repair.text}</Notice>}
          <WebhookRegistrations regs={d.webhooks.registrations} />
          <h2>Queue</h2>
          <div class="scroll">
            <table id="queue">
              <thead>
                <tr>
                  <th scope="col">Job kind</th>
                  <th scope="col">Waiting</th>
                  <th scope="col">Running</th>
                  <th scope="col">Dead</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(d.queue).map(([kind, q]) => (
                  <tr key={kind}>
                    <td>{kind}</td>
                    <td>{q.queued}</td>
                    <td>{q.running}</td>
                    <td>{q.dead ? <Link href="/dead-letters">{q.dead}</Link> : 0}</td>
                  </tr>
                ))}
                {Object.keys(d.queue).length === 0 && (
                  <tr>
                    <td colSpan={4} class="muted">
                      Nothing waiting.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <Nodes />
        </>
      )}
    </section>
  );
}
