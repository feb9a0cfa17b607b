import { useState } from 'preact/hooks';
import { can, post, type Session } from '../api';
import { useApi } from '../hooks';
import { Link } from '../router';
import { Loading, Notice, Time } from '../ui';
import type { OrderItem } from './order-types';
import { Flags } from './Orders';

interface OrderPageData {
  order: OrderItem;
  links: { shop: string | null; erp: string | null };
  deadLetter: { id: string; error: { message?: string; hint?: string } | null } | null;
  differences: { what: string; shop: string; erp: string }[];
  events: { at: string; source: string; what: string; detail: unknown }[];
}

export function OrderPage({ ref_, session }: { ref_: string; session: Session }) {
  const o = useApi<OrderPageData>(`/api/orders/${encodeURIComponent(ref_)}`, ['orders', 'jobs', 'audit']);
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const act = (path: string, done: string) =>
    post(path)
      .then(() => (setResult({ kind: 'ok', text: done }), o.reload()))
      .catch((e: Error) => setResult({ kind: 'error', text: e.message }));
  const d = o.data;
  return (
    <section aria-labelledby="h-order">
      <p>
        <Link href="/orders">← Orders</Link>
      </p>
      <h1 id="h-order">Order {d ? `#${d.order.number}` : ref_}</h1>
      <Loading error={o.error} loading={o.loading && !d} />
      {d && (
        <>
          <dl class="facts">
            <dt>Shop</dt>
            <dd>
              #{d.order.number} (id {d.order.shopId}), {d.order.shopStatus}, {d.order.shopTotal} {d.order.currency} {d.links.shop && <a href={d.links.shop} target="_blank" rel="noopener noreferrer">open in the shop's admin</a>}
            </dd>
            <dt>ERP</dt>
            <dd id="erp-side">
              {d.order.erpId ? (
                <>
                  {d.order.erpName ?? ''} (id {d.order.erpId}), {d.order.erpState ?? '—'}, {d.order.erpTotal ?? '—'} {d.order.currency} {d.links.erp && <a href={d.links.erp} target="_blank" rel="noopener noreferrer">open in the ERP</a>}
                </>
              ) : (
                'not in the ERP yet'
              )}
            </dd>
            <dt>Customer</dt>
            <dd>{d.order.email ?? '—'}</dd>
            <dt>Placed</dt>
            <dd>
              <Time at={d.order.orderedAt} />
            </dd>
            <dt>Flags</dt>
            <dd>{d.order.flags.length ? <Flags flags={d.order.flags} /> : 'none'}</dd>
          </dl>
          {d.differences.map((x) => (
            <Notice kind="error" key={x.what}>
              Differs — {x.what}: shop {x.shop}, ERP {x.erp}
            </Notice>
          ))}
          {d.deadLetter && (
            <Notice kind="error">
              Failed for good: {d.deadLetter.error?.message ?? 'no message'} {d.deadLetter.error?.hint && <>— {d.deadLetter.error.hint}</>}
            </Notice>
          )}
          {can(session, 'operator') && (
            <div class="actions">
              <button type="button" onClick={() => act(`/api/orders/${encodeURIComponent(d.order.shopId)}/resync`, 'Sync queued: the page updates when it has run.')}>
                Sync this order again
              </button>
              {d.deadLetter && (
                <button type="button" onClick={() => act(`/api/dead-letters/${encodeURIComponent(d.deadLetter!.id)}/replay`, 'Dead letter replayed.')}>
                  Replay its dead letter
                </button>
              )}
            </div>
          )}
          {result && <Notice kind={result.kind}>{result.text}</Notice>}
          <h2>Timeline</h2>
          <ol class="timeline" id="timeline">
            {d.events.map((e, i) => (
              <li key={i} class={`ev ${e.source}`}>
                <Time at={e.at} /> <span class="src">{e.source}</span> {e.what}
                {e.detail !== null && e.detail !== undefined && (
                  <details>
                    <summary>details</summary>
                    <pre>{JSON.stringify(e.detail, null, 2)}</pre>
                  </details>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
