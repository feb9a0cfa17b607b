import { useState } from 'preact/hooks';
import { post } from '../api';
import { Link } from '../router';
import { Time } from '../ui';
import { jsonProblem, subject, type DeadLetter } from './dead-letter-types';

/** The shop id of the order a dead letter is about, if it is one (its page has the trace). */
const orderOf = (d: DeadLetter): string | null => {
  const id = (d.payload as { shopId?: unknown } | null)?.shopId;
  return typeof id === 'string' ? id : null;
};

type Result = (r: { kind: 'ok' | 'error'; text: string }) => void;

export function DeadLetterRow({ d, operator, selected, onSelect, onResult }: { d: DeadLetter; operator: boolean; selected: boolean; onSelect: (on: boolean) => void; onResult: Result }) {
  const [mode, setMode] = useState<'none' | 'edit' | 'discard' | 'confirm'>('none');
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const problem = mode === 'edit' ? jsonProblem(text) : null;
  const act = (verb: 'replay' | 'discard', body: unknown, done: string) =>
    post(`/api/dead-letters/${encodeURIComponent(d.id)}/${verb}`, body)
      .then(() => (setMode('none'), onResult({ kind: 'ok', text: `${subject(d)} (job ${d.id}): ${done}` })))
      .catch((e: Error) => onResult({ kind: 'error', text: `${subject(d)} (job ${d.id}): ${e.message}` }));
  return (
    <li class="dl" data-id={d.id}>
      <div class="dl-head">
        {operator && (
          <input type="checkbox" aria-label={`select dead letter ${d.id}`} checked={selected} onChange={(e) => onSelect(e.currentTarget.checked)} />
        )}
        <strong>{orderOf(d) ? <Link href={`/orders/${encodeURIComponent(orderOf(d)!)}`}>{subject(d)}</Link> : subject(d)}</strong> <span class="muted">job {d.id} · {d.kind} · {d.attempts} attempt(s) · <Time at={d.updatedAt} /></span>
      </div>
      <p class="remote">{d.error?.message ?? 'no message'}</p>
      {d.error?.hint && <p class="hint">What to do: {d.error.hint}</p>}
      {operator && mode === 'none' && (
        <div class="actions">
          <button type="button" onClick={() => act('replay', {}, 'put back in the queue')}>
            Replay
          </button>
          <button type="button" onClick={() => (setText(JSON.stringify(d.payload, null, 2)), setMode('edit'))}>
            Edit and replay…
          </button>
          <button type="button" class="danger" onClick={() => setMode('discard')}>
            Discard…
          </button>
        </div>
      )}
      {mode === 'edit' && (
        <div class="editor">
          <label>
            Payload (JSON)
            <textarea class="json" spellcheck={false} rows={Math.min(24, text.split('\n').length + 1)} value={text} onInput={(e) => setText(e.currentTarget.value)} aria-invalid={problem ? 'true' : 'false'} />
          </label>
          {problem ? <p class="notice error">{problem}</p> : <p class="muted">Valid JSON.</p>}
          <button type="button" disabled={!!problem} onClick={() => act('replay', { payload: JSON.parse(text) as unknown }, 'replayed with the edited payload')}>
            Replay with this payload
          </button>{' '}
          <button type="button" class="link" onClick={() => setMode('none')}>
            Cancel
          </button>
        </div>
      )}
      {(mode === 'discard' || mode === 'confirm') && (
        <div class="editor">
          <label>
            Why discard it? (required, kept in the audit log)
            <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} required />
          </label>
          {mode === 'discard' ? (
            <button type="button" disabled={!reason.trim()} onClick={() => setMode('confirm')}>
              Discard…
            </button>
          ) : (
            <>
              <strong>Discard job {d.id} for good? It will not be synced.</strong>{' '}
              <button type="button" class="danger" onClick={() => act('discard', { reason: reason.trim() }, 'discarded')}>
                Yes, discard
              </button>
            </>
          )}{' '}
          <button type="button" class="link" onClick={() => setMode('none')}>
            Cancel
          </button>
        </div>
      )}
      <details>
        <summary>Payload</summary>
        <pre>{JSON.stringify(d.payload, null, 2)}</pre>
      </details>
    </li>
  );
}
