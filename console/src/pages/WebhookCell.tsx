/** A flow's webhook state as /api/overview reports it (issue 14): on, off (the ERP is polled), or polling only, with why
 * (the hint to set server.publicUrl is said once, under the table). */
import { Pill, Time } from '../ui';

export interface FlowHooks {
  webhooks: boolean;
  webhookState: string;
  lastWebhook: string | null;
}

export const POLLING_HINT = 'Set server.publicUrl in tandem.yaml to the URL the shop can reach, and restart, for changes within seconds.';

/** `unregistered`: Tandem would register the shop's webhooks but has no URL (server.publicUrl not set). */
export function WebhookCell({ flow, unregistered }: { flow: FlowHooks; unregistered: boolean }) {
  if (flow.webhookState === 'on') {
    return (
      <>
        on, last received <Time at={flow.lastWebhook} />
      </>
    );
  }
  if (!flow.webhookState.startsWith('polling only')) return <>off (polled on its schedule)</>;
  return (
    <>
      <Pill tone="warn">{flow.webhookState}</Pill>
      <span class="muted">{flow.webhooks && unregistered ? 'server.publicUrl is not set' : 'webhooks: false in tandem.yaml'}</span>
    </>
  );
}
