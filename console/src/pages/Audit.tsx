import { useState } from 'preact/hooks';
import { can, type Session } from '../api';
import { useApi } from '../hooks';
import { Loading, Time } from '../ui';

interface AuditEvent {
  id: string;
  at: string;
  actor: string | null;
  action: string;
  entity: string;
  shopId: string | null;
  erpId: string | null;
  orderNumber: string | null;
  jobId: string | null;
  detail: unknown;
}

export function Audit({ session }: { session: Session }) {
  const [action, setAction] = useState('');
  const allowed = can(session, 'operator');
  const r = useApi<AuditEvent[]>(allowed ? `/api/audit?since=30d&limit=200${action ? `&action=${encodeURIComponent(action)}` : ''}` : null, ['audit']);
  if (!allowed) return <p>The audit log is for operators and admins.</p>;
  return (
    <section aria-labelledby="h-audit">
      <h1 id="h-audit">Audit log</h1>
      <label>
        Action{' '}
        <select value={action} onChange={(e) => setAction(e.currentTarget.value)}>
          <option value="">all</option>
          {['dlq', 'sync', 'reconcile', 'login', 'user', 'token', 'webhook'].map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <Loading error={r.error} loading={r.loading && !r.data} />
      {r.data && (
        <div class="scroll">
          <table id="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Record</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {[...r.data].reverse().map((e) => (
                <tr key={e.id}>
                  <td>
                    <Time at={e.at} />
                  </td>
                  <td>{e.actor ?? 'Tandem'}</td>
                  <td>{e.action}</td>
                  <td>{[e.entity, e.orderNumber ?? e.shopId ?? e.erpId].filter(Boolean).join(' ')}</td>
                  <td>
                    <details>
                      <summary>show</summary>
                      <pre>{JSON.stringify(e.detail, null, 2)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
