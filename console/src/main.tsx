/** The Tandem console: sign-in, then one page per task; live updates over /api/events. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, get, setSession, whenSignedOut, type Session } from './api';
import { connectLive, disconnectLive } from './live';
import { Link, useLocation } from './router';
import { Login } from './pages/Login';
import { Overview } from './pages/Overview';
import { DeadLetters } from './pages/DeadLetters';
import { Orders } from './pages/Orders';
import { OrderPage } from './pages/Order';
import { Records } from './pages/Records';
import { Reconcile } from './pages/Reconcile';
import { Runs } from './pages/Runs';
import { Settings } from './pages/Settings';
import { Audit } from './pages/Audit';

const NAV: [string, string][] = [
  ['/', 'Overview'],
  ['/orders', 'Orders'],
  ['/records', 'Records'],
  ['/reconcile', 'Reconcile'],
  ['/dead-letters', 'Dead letters'],
  ['/runs', 'Runs & logs'],
  ['/settings', 'Settings'],
  ['/audit', 'Audit'],
];

function Page({ path, session }: { path: string; session: Session }) {
  const [pathname = '/'] = path.split('?');
  if (pathname.startsWith('/orders/')) return <OrderPage ref_={decodeURIComponent(pathname.slice('/orders/'.length))} session={session} />;
  switch (pathname) {
    case '/orders':
      return <Orders />;
    case '/records':
      return <Records />;
    case '/reconcile':
      return <Reconcile session={session} />;
    case '/dead-letters':
      return <DeadLetters session={session} />;
    case '/runs':
      return <Runs />;
    case '/settings':
      return <Settings session={session} />;
    case '/audit':
      return <Audit session={session} />;
    default:
      return <Overview session={session} />;
  }
}

function App() {
  const [session, setS] = useState<Session | null | undefined>(undefined);
  const [message, setMessage] = useState('');
  const path = useLocation();
  const signedIn = (s: Session | null) => {
    setSession(s);
    setS(s);
    if (s) connectLive();
    else disconnectLive();
  };
  useEffect(() => {
    whenSignedOut((m) => {
      setMessage(m);
      signedIn(null);
    });
    get<Session>('/api/session')
      .then(signedIn)
      .catch(() => signedIn(null));
  }, []);
  if (session === undefined) return <p class="muted">Loading…</p>;
  if (session === null) return <Login message={message} onSignedIn={(s) => (setMessage(''), signedIn(s))} />;
  const current = path.split('?')[0] ?? '/';
  return (
    <>
      <header class="top">
        <strong class="brand">Tandem</strong>
        <nav aria-label="Pages">
          {NAV.map(([href, label]) => (
            <Link key={href} href={href} aria-current={(href === '/' ? current === '/' : current.startsWith(href)) ? 'page' : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <span class="who" id="who">
          {session.user} ({session.role}){' '}
          <button
            type="button"
            class="link"
            onClick={() => {
              void api('DELETE', '/api/session').finally(() => {
                setMessage('Signed out.');
                signedIn(null);
              });
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main id="main">
        <Page path={path} session={session} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
