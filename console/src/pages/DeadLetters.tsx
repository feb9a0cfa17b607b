import { useMemo, useState } from 'preact/hooks';
import { can, post, type Session } from '../api';
import { useApi } from '../hooks';
import { Loading, Notice } from '../ui';
import { DeadLetterRow } from './DeadLetterRow';
import { cause, subject, type DeadLetter } from './dead-letter-types';

const PAGE = 20;

interface Result {
  kind: 'ok' | 'error';
  text: string;
}

export function DeadLetters({ session }: { session: Session }) {
  const list = useApi<DeadLetter[]>('/api/dead-letters?limit=1000', ['jobs']);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<Result[]>([]);
  const [reason, setReason] = useState('');
  // a page of each group at first: a thousand payloads at once would take seconds to draw
  const [shown, setShown] = useState<Record<string, number>>({});
  const operator = can(session, 'operator');
  const groups = useMemo(() => {
    const m = new Map<string, DeadLetter[]>();
    for (const d of list.data ?? []) m.set(cause(d), [...(m.get(cause(d)) ?? []), d]);
    return [...m].sort((a, b) => b[1].length - a[1].length);
  }, [list.data]);
  const report = (r: Result) => (setResults((x) => [r, ...x].slice(0, 50)), list.reload());
  const bulk = async (verb: 'replay' | 'discard') => {
    if (verb === 'discard' && !confirm(`Discard ${selected.size} dead letters for good?`)) return;
    const chosen = (list.data ?? []).filter((d) => selected.has(d.id));
    const out: Result[] = [];
    for (const d of chosen) {
      await post(`/api/dead-letters/${encodeURIComponent(d.id)}/${verb}`, verb === 'discard' ? { reason } : {})
        .then(() => out.push({ kind: 'ok', text: `${subject(d)} (job ${d.id}): ${verb === 'replay' ? 'put back in the queue' : 'discarded'}` }))
        .catch((e: Error) => out.push({ kind: 'error', text: `${subject(d)} (job ${d.id}): ${e.message}` }));
    }
    setSelected(new Set());
    setResults((x) => [...out, ...x].slice(0, 50));
    list.reload();
  };
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? new Set(s).add(id) : new Set([...s].filter((x) => x !== id))));
  return (
    <section aria-labelledby="h-dl">
      <h1 id="h-dl">Dead letters</h1>
      <p class="muted">Jobs that failed for good and wait for you. Fix the cause (or the payload), then replay; or discard with a reason.</p>
      <div aria-live="polite" id="results">
        {results.map((r, i) => (
          <Notice key={i} kind={r.kind}>
            {r.text}
          </Notice>
        ))}
      </div>
      <Loading error={list.error} loading={list.loading && !list.data} />
      {list.data && list.data.length === 0 && <Notice kind="ok">No dead letters: everything went through.</Notice>}
      {operator && selected.size > 0 && (
        <div class="bulk" role="group" aria-label="Selected dead letters">
          <strong>{selected.size} selected</strong>
          <button type="button" onClick={() => void bulk('replay')}>
            Replay selected
          </button>
          <label>
            Reason <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <button type="button" class="danger" disabled={!reason.trim()} onClick={() => void bulk('discard')}>
            Discard selected
          </button>
        </div>
      )}
      {groups.map(([c, items]) => (
        <section class="group" key={c}>
          <h2>
            {items.length} × <code>{c}</code>{' '}
            {operator && (
              <button type="button" class="link" onClick={() => setSelected(new Set([...selected, ...items.map((d) => d.id)]))}>
                select all
              </button>
            )}
          </h2>
          <ul class="plain">
            {items.slice(0, shown[c] ?? PAGE).map((d) => (
              <DeadLetterRow key={d.id} d={d} operator={operator} selected={selected.has(d.id)} onSelect={(on) => toggle(d.id, on)} onResult={report} />
            ))}
          </ul>
          {items.length > (shown[c] ?? PAGE) && (
            <button type="button" class="link" onClick={() => setShown({ ...shown, [c]: (shown[c] ?? PAGE) + 100 })}>
              Show {Math.min(100, items.length - (shown[c] ?? PAGE))} more of {items.length - (shown[c] ?? PAGE)}
            </button>
          )}
        </section>
      ))}
    </section>
  );
}
