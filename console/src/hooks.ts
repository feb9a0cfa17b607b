import { useCallback, useEffect, useState } from 'preact/hooks';
import { get } from './api';
import { useLive } from './live';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** GETs `path` (null: nothing yet), again when `path` changes or one of `topics` fires. */
export function useApi<T>(path: string | null, topics: string[] = []): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [n, setN] = useState(0);
  const reload = useCallback(() => setN((x) => x + 1), []);
  useEffect(() => {
    if (!path) return;
    let gone = false;
    setLoading(true);
    get<T>(path)
      .then((d) => !gone && (setData(d), setError(null)))
      .catch((e: Error) => !gone && setError(e.message))
      .finally(() => !gone && setLoading(false));
    return () => {
      gone = true;
    };
  }, [path, n]);
  useLive(topics, reload);
  return { data, error, loading, reload };
}
