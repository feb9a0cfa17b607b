/** Live updates: one EventSource on /api/events; pages subscribe to topics and reload when one fires. */
import { useEffect } from 'preact/hooks';

type Listener = (topic: string) => void;
const listeners = new Set<Listener>();
let source: EventSource | null = null;

export function connectLive(): void {
  if (source) return;
  source = new EventSource('/api/events');
  source.addEventListener('change', (ev) => {
    const topic = String((ev as MessageEvent).data);
    for (const l of listeners) l(topic);
  });
}

export function disconnectLive(): void {
  source?.close();
  source = null;
}

/** Calls `reload` when one of `topics` changes (jobs, runs, orders, audit). */
export function useLive(topics: string[], reload: () => void): void {
  useEffect(() => {
    const l: Listener = (t) => {
      if (topics.includes(t)) reload();
    };
    listeners.add(l);
    return () => void listeners.delete(l);
  }, [topics.join(','), reload]);
}
