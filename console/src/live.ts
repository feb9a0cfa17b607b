/** Live updates: one EventSource on /api/events; pages subscribe to topics and reload when one fires. */
import { useEffect } from 'preact/hooks';

type Listener = (topic: string) => void;
const listeners = new Set<Listener>();
const TOPICS = ['jobs', 'runs', 'orders', 'audit'];
let source: EventSource | null = null;

export function connectLive(): void {
  if (source) return;
  source = new EventSource('/api/events');
  // (re)connected: changes while the stream was down are unknown, so every page reloads once
  source.addEventListener('open', () => {
    for (const l of listeners) for (const t of TOPICS) l(t);
  });
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
