import { Notice, Pill } from '../ui';

export interface Registration {
  topic: string;
  deliveryUrl: string;
  state: 'active' | 'paused' | 'disabled' | 'missing';
  remoteId: string | null;
  pointsHere: boolean;
}

export interface Registrations {
  items: Registration[];
  error: string | null;
}

const TONE = { active: 'good', paused: 'warn', disabled: 'bad', missing: 'bad' } as const;

/** Each webhook Tandem expects on the shop, as the shop has it now; "Check and repair webhooks" fixes them. */
export function WebhookRegistrations({ regs }: { regs: Registrations | null }) {
  if (!regs) return null;
  return (
    <>
      <h2>Webhook registrations</h2>
      {regs.error && <Notice kind="error">{regs.error}</Notice>}
      {regs.items.length > 0 && (
        <div class="scroll">
          <table id="webhook-registrations">
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col">State</th>
                <th scope="col">Shop id</th>
                <th scope="col">Delivers to</th>
              </tr>
            </thead>
            <tbody>
              {regs.items.map((r) => (
                <tr key={r.topic}>
                  <td>{r.topic}</td>
                  <td>
                    <Pill tone={TONE[r.state]}>{r.state}</Pill>
                  </td>
                  <td>{r.remoteId ?? '—'}</td>
                  <td>{r.state === 'missing' ? <span class="muted">not registered</span> : r.pointsHere ? 'Tandem' : <Pill tone="warn">{`elsewhere: ${r.deliveryUrl}`}</Pill>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
