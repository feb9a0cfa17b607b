import { useMemo, useState } from 'preact/hooks';
import { can, post, type Session } from '../api';
import { useApi } from '../hooks';
import { Link } from '../router';
import { Loading, Notice, Pill, Time } from '../ui';

interface Diff {
  entity: string;
  kind: string;
  shopId?: string;
  erpId?: string;
  label: string;
  fields?: string[];
  shop?: unknown;
  erp?: unknown;
}
interface RunView {
  id: string;
  kind: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  entities: { entity: string; shop: number; erp: number; linked: number; differences: number }[];
  differences: Diff[];
  fixed: number | null;
  counts: Record<string, number>;
}

const KIND: Record<string, string> = { missing_in_shop: 'missing in the shop', missing_in_erp: 'missing in the ERP', field: 'fields differ', stock: 'stock differs', unlinked_match: 'same record, not linked', ambiguous: 'ambiguous' };
const show = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

export function Reconcile({ session }: { session: Session }) {
  const r = useApi<{ running: RunView | null; last: RunView | null }>('/api/reconcile/last', ['runs']);
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const operator = can(session, 'operator');
  const groups = useMemo(() => {
    const m = new Map<string, Diff[]>();
    for (const d of r.data?.last?.differences ?? []) m.set(`${d.entity}|${d.kind}`, [...(m.get(`${d.entity}|${d.kind}`) ?? []), d]);
    return [...m];
  }, [r.data]);
  const fix = async (body: Record<string, string>, what: string) => {
    setBusy(true);
    try {
      const res = await post<{ fixed: number; remaining: number }>('/api/reconcile/fix', body);
      setResult({ kind: 'ok', text: `${what}: ${res.fixed} fixed; ${res.remaining} ${body.entity} differences left.` });
    } catch (e) {
      setResult({ kind: 'error', text: `${what}: ${(e as Error).message}` });
    } finally {
      setBusy(false);
      r.reload();
    }
  };
  const last = r.data?.last;
  return (
    <section aria-labelledby="h-rec">
      <h1 id="h-rec">Reconcile</h1>
      <p class="muted">Compares both systems record by record. Fixing re-syncs the record through the normal path.</p>
      {operator && (
        <button
          type="button"
          disabled={!!r.data?.running || busy}
          onClick={() =>
            post('/api/reconcile', {})
              .then(() => (setResult({ kind: 'ok', text: 'Verification started.' }), r.reload()))
              .catch((e: Error) => setResult({ kind: 'error', text: e.message }))
          }
        >
          Run a new verification
        </button>
      )}
      {r.data?.running && (
        <p role="status" class="progress">
          <progress aria-label="verification progress" max={r.data.running.counts.entities ?? 1} value={r.data.running.counts.entitiesDone ?? 0} /> Verification running since <Time at={r.data.running.startedAt} />:{' '}
          {r.data.running.counts.entities ? `${r.data.running.counts.entitiesDone ?? 0} of ${r.data.running.counts.entities} entities checked, ${r.data.running.counts.differences ?? 0} differences so far` : 'starting'}…
        </p>
      )}
      {result && <Notice kind={result.kind}>{result.text}</Notice>}
      <Loading error={r.error} loading={r.loading && !r.data} />
      {r.data && !last && <p>No verification yet.</p>}
      {last && (
        <>
          <p>
            Last verification <Time at={last.finishedAt} /> ({last.kind}):{' '}
            {last.differences.length ? <Pill tone="bad">{last.differences.length} differences</Pill> : <Pill tone="good">both systems agree</Pill>}{' '}
            {last.entities.map((e) => `${e.entity}: ${e.shop} in the shop, ${e.erp} in the ERP, ${e.linked} linked`).join(' · ')}
          </p>
          {groups.map(([key, items]) => {
            const [entity = '', kind = ''] = key.split('|');
            return (
              <section class="group" key={key} data-group={key}>
                <h2>
                  {items.length} × {entity}: {KIND[kind] ?? kind}{' '}
                  {operator && kind !== 'ambiguous' && (
                    <button type="button" disabled={busy} onClick={() => void fix({ entity, kind }, `Fix all ${entity} “${KIND[kind] ?? kind}”`)}>
                      Fix all {items.length}
                    </button>
                  )}
                </h2>
                <div class="scroll">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Record</th>
                        <th scope="col">Fields</th>
                        <th scope="col">Shop</th>
                        <th scope="col">ERP</th>
                        <th scope="col" />
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((d, i) => (
                        <tr key={i} class="differs">
                          <td>
                            <Link href={`/records?q=${encodeURIComponent(d.label)}&entity=${encodeURIComponent(d.entity)}`}>{d.label}</Link>
                          </td>
                          <td>{d.fields?.join(', ') ?? ''}</td>
                          <td>
                            <code>{show(d.shop)}</code>
                          </td>
                          <td>
                            <code>{show(d.erp)}</code>
                          </td>
                          <td>
                            {operator && kind !== 'ambiguous' && (
                              <button type="button" disabled={busy} onClick={() => void fix({ entity, kind, ...(d.shopId && { shopId: d.shopId }), ...(d.erpId && { erpId: d.erpId }) }, `Fix ${d.label}`)}>
                                Fix
                              </button>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            );
          })}
        </>
      )}
    </section>
  );
}
