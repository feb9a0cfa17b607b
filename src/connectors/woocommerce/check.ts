/** `tandem check` for WooCommerce: reachable, authenticated, version, currency, write access, webhooks. */
import { toSyncError } from '../../shared/errors.js';
import type { CheckItem, CheckNeeds, CheckReport } from '../contract.js';
import type { WooContext } from './context.js';
import type { WooWebhook } from './wire.js';
import { TANDEM_PREFIX } from './webhook-manager.js';

interface SystemStatus {
  environment?: { version?: string; wp_version?: string };
  settings?: { currency?: string };
}

function failed(name: string, e: unknown, fallbackHint: string): CheckItem {
  const err = toSyncError(e, 'unavailable');
  return { name, ok: false, message: err.message, hint: err.hint ?? fallbackHint };
}

export async function checkWoo(ctx: WooContext, needs?: CheckNeeds): Promise<CheckReport> {
  const items: CheckItem[] = [];
  let version: string | undefined;
  try {
    const res = await ctx.transport.request<SystemStatus>('GET', 'system_status', { query: { _fields: 'environment,settings' } });
    version = res.data.environment?.version;
    items.push({ name: 'connection', ok: true, message: `WooCommerce ${version ?? '?'} (WordPress ${res.data.environment?.wp_version ?? '?'}) at ${ctx.settings.url}, auth ${ctx.transport.authMode}` });
    const currency = ctx.settings.currency ?? res.data.settings?.currency;
    const shopCurrency = res.data.settings?.currency;
    items.push(
      ctx.settings.currency && shopCurrency && shopCurrency !== ctx.settings.currency
        ? { name: 'currency', ok: false, message: `tandem.yaml says ${ctx.settings.currency}, the shop sells in ${shopCurrency}`, hint: 'fix currency in tandem.yaml' }
        : { name: 'currency', ok: !!currency, message: `store currency ${currency ?? 'unknown'}`, hint: currency ? undefined : 'set currency in tandem.yaml' },
    );
  } catch (e) {
    items.push(failed('connection', e, 'check the url and that the WooCommerce REST API is enabled'));
    return { system: ctx.name, ok: false, version, items };
  }
  const writes = Object.values(needs?.entities ?? {}).some((rights) => rights?.includes('write')) || (needs?.actions?.length ?? 0) > 0;
  if (writes) {
    try {
      // An empty batch changes nothing but goes through the write-permission check.
      await ctx.transport.request('POST', 'products/batch', { body: {} });
      items.push({ name: 'write access', ok: true, message: 'the REST API key may write' });
    } catch (e) {
      items.push(failed('write access', e, 'give the REST API key Read/Write permission'));
    }
  }
  if (ctx.settings.webhookUrl) {
    try {
      const hooks: WooWebhook[] = [];
      for await (const page of ctx.transport.pages<WooWebhook>('webhooks', { status: 'all' })) hooks.push(...page.items);
      const mine = hooks.filter((w) => w.name.startsWith(TANDEM_PREFIX));
      const bad = mine.filter((w) => w.status !== 'active');
      items.push(
        mine.length === 0
          ? { name: 'webhooks', ok: false, message: 'no Tandem webhooks registered', hint: 'run `tandem serve` (it registers them) or check webhookUrl' }
          : bad.length > 0
            ? { name: 'webhooks', ok: false, message: `${bad.length} Tandem webhook(s) not active: ${bad.map((w) => `${w.topic} (${w.status})`).join(', ')}`, hint: 'WooCommerce disables a webhook after failed deliveries; Tandem re-enables it on start and polls to catch up' }
            : { name: 'webhooks', ok: true, message: `${mine.length} Tandem webhook(s) active` },
      );
    } catch (e) {
      items.push(failed('webhooks', e, 'the API key needs permission to manage webhooks'));
    }
  }
  return { system: ctx.name, ok: items.every((i) => i.ok), version, items };
}
