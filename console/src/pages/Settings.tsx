import { useState } from 'preact/hooks';
import { can, post, type Session } from '../api';
import { useApi } from '../hooks';
import { Loading, Notice, Pill, Time } from '../ui';

interface SettingsData {
  flows: { entity: string; direction: string; enabled: boolean; schedule: string; webhooks: boolean; webhookState: string; lastRun: string | null; nextRun: string | null }[];
  config: unknown;
}

export function Settings({ session }: { session: Session }) {
  const s = useApi<SettingsData>('/api/settings', ['runs']);
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  return (
    <section aria-labelledby="h-settings">
      <h1 id="h-settings">Settings</h1>
      <p class="muted">Read-only: change tandem.yaml and restart Tandem to change them.</p>
      {result && <Notice kind={result.kind}>{result.text}</Notice>}
      <Loading error={s.error} loading={s.loading && !s.data} />
      {s.data && (
        <>
          <h2>Flows</h2>
          <div class="scroll">
            <table id="flows">
              <thead>
                <tr>
                  <th scope="col">Flow</th>
                  <th scope="col">Direction</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Last run</th>
                  <th scope="col">Next run</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {s.data.flows.map((f) => (
                  <tr key={f.entity + f.direction}>
                    <td>{f.entity}</td>
                    <td>{f.direction.replace('->', ' → ')}</td>
                    <td>
                      <code>{f.schedule}</code>
                      {f.webhookState === 'on' ? ' + webhooks' : f.webhookState.startsWith('polling only') && f.webhooks ? <> <Pill tone="warn">polling only: server.publicUrl is not set</Pill></> : ''}
                    </td>
                    <td>
                      <Time at={f.lastRun} />
                    </td>
                    <td>{f.enabled ? <Time at={f.nextRun} /> : 'disabled'}</td>
                    <td>
                      {can(session, 'operator') && f.enabled && (
                        <button
                          type="button"
                          onClick={() =>
                            post('/api/syncs', { entity: f.entity })
                              .then(() => setResult({ kind: 'ok', text: `${f.entity}: a run is queued.` }))
                              .catch((e: Error) => setResult({ kind: 'error', text: `${f.entity}: ${e.message}` }))
                          }
                        >
                          Run now
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Effective configuration</h2>
          {s.data.config ? <pre id="config">{JSON.stringify(s.data.config, null, 2)}</pre> : <p class="muted">Only an admin sees the configuration (secrets are always redacted).</p>}
        </>
      )}
    </section>
  );
}
