/** A small history router: the server answers every console path with the same page (SPA fallback). */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const subscribers = new Set<(p: string) => void>();

export function navigate(to: string): void {
  history.pushState(null, '', to);
  for (const s of subscribers) s(location.pathname + location.search);
}

export function useLocation(): string {
  const [loc, setLoc] = useState(location.pathname + location.search);
  useEffect(() => {
    const pop = () => setLoc(location.pathname + location.search);
    subscribers.add(setLoc);
    addEventListener('popstate', pop);
    return () => {
      subscribers.delete(setLoc);
      removeEventListener('popstate', pop);
    };
  }, []);
  return loc;
}

export function Link(props: { href: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' | undefined }) {
  return (
    <a
      {...props}
      onClick={(ev) => {
        if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
        ev.preventDefault();
        navigate(props.href);
      }}
    />
  );
}
