import { useState } from 'preact/hooks';
import { useApi } from '../hooks';
import { Link, navigate, useLocation } from '../router';
import { Loading, Pill, Time } from '../ui';
import type { OrderItem } from './order-types';

export function Flags({ flags }: { flags: OrderItem['flags'] }) {
  return (
    <>
      {flags.includes('dead') && <Pill tone="bad">dead letter</Pill>}
      {flags.includes('differs') && <Pill tone="warn">differs</Pill>}
      {flags.includes('waiting') && <Pill tone="neutral">waiting</Pill>}
    </>
  );
}

export function Orders() {
  const loc = useLocation();
  const params = new URLSearchParams(loc.split('?')[1] ?? '');
  const [q, setQ] = useState(params.get('q') ?? '');
  const flag = params.get('flag') ?? '';
  const query = new URLSearchParams({ ...(params.get('q') && { q: params.get('q')! }), ...(flag && { flag }) }).toString();
  const list = useApi<OrderItem[]>(`/api/orders${query ? `?${query}` : ''}`, ['orders', 'jobs']);
  const go = (next: { q?: string; flag?: string }) => {
    const s = new URLSearchParams({ ...(next.q && { q: next.q }), ...(next.flag && { flag: next.flag }) }).toString();
    navigate(`/orders${s ? `?${s}` : ''}`);
  };
  return (
    <section aria-labelledby="h-orders">
      <h1 id="h-orders">Orders</h1>
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: q.trim(), flag });
        }}
      >
        <label>
          Find an order <input id="order-search" type="search" value={q} placeholder="shop number, ERP name (S00042) or e-mail" onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <label>
          Show{' '}
          <select value={flag} onChange={(e) => go({ q: params.get('q') ?? '', flag: e.currentTarget.value })}>
            <option value="">all orders</option>
            <option value="waiting">waiting</option>
            <option value="dead">with a dead letter</option>
            <option value="differs">where the systems differ</option>
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      <Loading error={list.error} loading={list.loading && !list.data} />
      {list.data && (
        <div class="scroll">
          <table id="orders">
            <thead>
              <tr>
                <th scope="col">Shop</th>
                <th scope="col">ERP</th>
                <th scope="col">Customer</th>
                <th scope="col">Placed</th>
                <th scope="col">Status (shop / ERP)</th>
                <th scope="col" class="num">Amount</th>
                <th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((o) => (
                <tr key={o.shopId}>
                  <td>
                    <Link href={`/orders/${encodeURIComponent(o.shopId)}`}>#{o.number}</Link>
                  </td>
                  <td>{o.erpName ?? (o.erpId ? `id ${o.erpId}` : <span class="muted">not in the ERP</span>)}</td>
                  <td>{o.email ?? '—'}</td>
                  <td>
                    <Time at={o.orderedAt} />
                  </td>
                  <td>
                    {o.shopStatus} / {o.erpState ?? '—'}
                  </td>
                  <td class="num">
                    {o.shopTotal} {o.currency}
                  </td>
                  <td>
                    <Flags flags={o.flags} />
                  </td>
                </tr>
              ))}
              {list.data.length === 0 && (
                <tr>
                  <td colSpan={7} class="muted">
                    No order matches.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
