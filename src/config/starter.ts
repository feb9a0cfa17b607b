/**
 * The commented starter config that `tandem init` writes (and tandem.example.yaml at the repo root).
 * Every credential is a ${ENV_VAR} reference; `starterEnvVars` lists the ones the user must set.
 */
import { modulesOfRole, type ConnectorType } from '../connectors/registry.js';

/** The systems' snippets come from the connector modules (connectors/registry.ts). */
export type StarterShop = ConnectorType;
export const STARTER_SHOPS: readonly StarterShop[] = modulesOfRole('shop').map((m) => m.type as StarterShop);

const HEAD = `# tandem.yaml: what Tandem syncs between your shop and Odoo, and how.
# Full reference: docs/configuration.md. Check this file with \`tandem config check\`;
# \`tandem config schema > tandem.schema.json\` gives your editor completion for every key.
#
# Credentials are never written here: write \${ENV_VAR} and set the variable in the environment
# (\${VAR:-default} gives a default). Their values are redacted from every log line.
version: 1

# Where Tandem keeps its state (links between records, cursors, queue, audit).
# sqlite:<file> (relative to this file's folder) for one process, or postgres://user@host:5432/db
# to run several workers. The environment variable TANDEM_DATABASE_URL overrides it.
store:
  url: sqlite:.tandem/tandem.db

# The HTTP server of \`tandem serve\`: webhook intake, REST API, /metrics, dashboard.
server:
  host: 127.0.0.1
  port: 8787
  # Public URL the shop can reach for webhooks, e.g. https://tandem.example.com
  # publicUrl: https://tandem.example.com
  # Who may use the API and the dashboard: users (\`tandem user add <name> --role admin\`) and API tokens
  # (\`tandem token create --role viewer --name prometheus\`), stored hashed in the store. Listening on
  # anything but 127.0.0.1 without any is refused. Behind a TLS reverse proxy (docs/security.md):
  # trustedProxies: [127.0.0.1]
  # Serve /metrics without credentials on a loopback-only port (otherwise it needs a viewer token):
  # metrics: { listen: "127.0.0.1:9464" }

# Personal data (names, e-mails, addresses, phones) in dead letters, webhook payloads, traces and
# audit details is redacted once older than this.
retention:
  personalData: 30d

log:
  level: info          # fatal | error | warn | info | debug | trace

workers:
  concurrency: 32      # jobs run at the same time per process (they mostly wait on the systems;
                       # calls to each system are limited by its own adaptive concurrency)
  leaseTimeout: 5m     # a job held longer than this by a crashed worker is taken over

# The two systems Tandem connects: one shop, one ERP. The names (shop, erp) are yours to choose.
systems:
`;

const FLOWS = `
# One flow per entity. direction: shop->erp | erp->shop | both.
# schedule: an interval ("15m", "1h") or a cron expression ("*/15 * * * *"), in UTC; polling on the
# schedule stays on as a safety net even when webhooks deliver changes at once.
# owner: which side owns each canonical field when both sides change it.
# fields: overrides of canonical fields as JSONata expressions over the source record.
# errors: how often a failing record is retried before it goes to the dead letter queue (tandem dlq).
flows:
  - entity: category
    direction: erp->shop
    schedule: 1h
    webhooks: false                      # Odoo sends no webhooks: polled on the schedule
    priority: 60

  - entity: product
    direction: erp->shop
    schedule: 15m
    webhooks: false
    priority: 50
    batchSize: 200                       # records per write call (Odoo create takes a list)
    owner:
      default: erp
      fields:
        description: shop                # marketing text is edited in the shop
    # fields:
    #   name: "$trim(name)"

  - entity: price
    direction: erp->shop
    schedule: 15m
    webhooks: false
    priority: 50

  - entity: customer
    direction: shop->erp
    schedule: 15m
    webhooks: true
    priority: 70

  - entity: stock
    direction: erp->shop
    schedule: 5m
    webhooks: false
    priority: 80
    batchSize: 500

  - entity: order
    direction: both                      # new orders shop → ERP; status and tracking ERP → shop
    schedule: 5m
    webhooks: true
    priority: 90                         # higher runs first
    errors:
      maxAttempts: 8
      backoff: { initial: 5s, max: 1h, factor: 2 }

# Stock: the ERP is the master; the shop sells on hand − reserved − safety buffer.
stock:
  master: erp
  safetyBuffer:
    default: 0
    perSku: {}                           # e.g. SNEAKER-42: 2
  locations:
    - erp: WH/Stock                      # ERP location or warehouse code
      shop: default                      # the shop's location
  lowStock:
    threshold: 5                         # alert when available drops to this or below …
    hysteresis: 2                        # … and again only after it rose above threshold + hysteresis
    perSku: {}

# Orders from the shop in the ERP.
orders:
  confirm: on_payment                    # on_payment | immediately
  invoice: on_payment                    # on_payment | on_delivery
  roundingTolerance: "0.05"              # larger shop/ERP total differences are errors, smaller get a rounding line
  roundingProduct: TANDEM-ROUNDING       # SKU of the ERP service product for rounding lines
  # shippingProduct: SHIPPING            # ERP delivery product when the carrier has none
  carriers: {}                           # shop shipping method → ERP carrier, e.g. flat_rate: Standard delivery
  taxes: []                              # e.g. - { rate: "20", erpTax: "20% VAT" } or - { rate: "15" } (the ERP sale tax of 15 %)

# Where low-stock and dead-letter alerts go.
alerts:
  channels: []
  # - type: webhook
  #   url: https://hooks.example.com/tandem
  #   secret: \${ALERT_WEBHOOK_SECRET}
  # - type: email
  #   smtp: \${SMTP_URL}                 # smtp://user:pass@host:587
  #   from: tandem@example.com
  #   to: [ops@example.com]
`;

export function starterConfig(shop: StarterShop = STARTER_SHOPS[0] as StarterShop): string {
  const snippet = modulesOfRole('shop').find((m) => m.type === shop)?.starter;
  if (!snippet) throw new Error(`no shop connector of type "${shop}" (known: ${STARTER_SHOPS.join(', ')})`);
  const erp = modulesOfRole('erp')[0]?.starter ?? '';
  return `${HEAD}${snippet}\n${erp}${FLOWS}`;
}

/** The environment variables a config text references outside comments, in order of appearance. */
export function starterEnvVars(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const code = line.replace(/(^|\s)#.*$/, '');
    for (const m of code.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) names.add(m[1] as string);
  }
  return [...names];
}
