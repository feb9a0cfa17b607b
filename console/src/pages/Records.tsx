import { useState } from 'preact/hooks';
import { useApi } from '../hooks';
import { navigate, useLocation } from '../router';
import { Loading, Pill, Time } from '../ui';

interface RecordData {
  entity: string;
  shopId: string | null;
  erpId: string | null;
  label: string;
  links: { shop: string | null; erp: string | null };
  linked: boolean;
  syncedAt: string | null;
  fields: { field: string; shop: string | null; erp: string | null; differs: boolean }[];
  errors: { shop: string | null; erp: string | null };
  events: { at: string; actor: string | null; action: string; detail: unknown }[];
}

export function Records() {
  const params = new URLSearchParams(useLocation().split('?')[1] ?? '');
  const [q, setQ] = useState(params.get('q') ?? '');
  const asked = params.get('q');
  const entity = params.get('entity');
  const r = useApi<RecordData>(asked ? `/api/records?q=${encodeURIComponent(asked)}${entity ? `&entity=${encodeURIComponent(entity)}` : ''}` : null, []);
  const d = asked ? r.data : null;
  const differing = d?.fields.filter((f) => f.differs).length ?? 0;
  return (
    <section aria-labelledby="h-records">
      <h1 id="h-records">Records</h1>
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(q.trim() ? `/records?q=${encodeURIComponent(q.trim())}` : '/records');
        }}
      >
        <label>
          Look up <input id="record-search" type="search" value={q} placeholder="SKU, e-mail address, or an id" onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <button type="submit">Look up</button>
      </form>
      {asked && <Loading error={r.error} loading={r.loading} />}
      {d && !r.loading && (
        <>
          <h2>
            {d.entity} “{d.label}”
          </h2>
          <p>
            Shop id {d.shopId ?? '—'} {d.links.shop && <a href={d.links.shop} target="_blank" rel="noopener noreferrer">(open)</a>} · ERP id {d.erpId ?? '—'} {d.links.erp && <a href={d.links.erp} target="_blank" rel="noopener noreferrer">(open)</a>} ·{' '}
            {d.linked ? (
              <>
                linked, last synced <Time at={d.syncedAt} />
              </>
            ) : (
              <Pill tone="warn">not linked</Pill>
            )}{' '}
            · {differing ? <Pill tone="bad">{differing} fields differ</Pill> : <Pill tone="good">both sides agree</Pill>}
          </p>
          <div class="scroll">
            <table id="fields">
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Shop</th>
                  <th scope="col">ERP</th>
                </tr>
              </thead>
              <tbody>
                {d.fields.map((f) => (
                  <tr key={f.field} class={f.differs ? 'differs' : ''}>
                    <th scope="row">
                      {f.field}
                      {f.differs && <span class="sr-only"> (differs)</span>}
                    </th>
                    <td>{f.shop ?? <span class="muted">—</span>}</td>
                    <td>{f.erp ?? <span class="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>What happened last</h2>
          <ul>
            {d.events.map((e, i) => (
              <li key={i}>
                <Time at={e.at} /> {e.action} {e.actor ? `by ${e.actor}` : ''}
              </li>
            ))}
            {d.events.length === 0 && <li class="muted">No recorded event for this record.</li>}
          </ul>
        </>
      )}
    </section>
  );
}
