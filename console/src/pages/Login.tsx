import { useState } from 'preact/hooks';
import { ApiError, post, type Session } from '../api';
import { Notice } from '../ui';

export function Login({ message, onSignedIn }: { message: string; onSignedIn: (s: Session) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <main class="login">
      <h1>Tandem console</h1>
      <p class="muted">Sign in with the user name and password your administrator gave you (<code>tandem user add</code>).</p>
      {message && <Notice kind="info">{message}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      <form
        id="login"
        onSubmit={async (ev) => {
          ev.preventDefault();
          const f = new FormData(ev.currentTarget);
          setBusy(true);
          try {
            onSignedIn(await post<Session>('/api/session', { username: f.get('username'), password: f.get('password') }));
          } catch (e) {
            setError(e instanceof ApiError && e.status === 401 ? 'Wrong user name or password.' : (e as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label>
          User name <input name="username" autocomplete="username" required />
        </label>
        <label>
          Password <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
