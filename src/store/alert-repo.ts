/** State of low-stock alerts per SKU and shop location: armed (will fire on the next crossing) or not. */
import type { Executor } from './schema.js';

export interface AlertRow {
  sku: string;
  location: string;
  armed: boolean;
  available: number;
  /** When the figure was read (epoch ms); set by the store. */
  readAt?: number;
}

export class AlertRepo {
  constructor(private readonly db: Executor, private readonly now: () => number = Date.now) {}

  async getAll(db: Executor = this.db): Promise<Map<string, AlertRow>> {
    const rows = await db.selectFrom('stock_alerts').selectAll().execute();
    return new Map(rows.map((r) => [`${r.sku}@${r.location}`, { sku: r.sku, location: r.location, armed: Number(r.armed) === 1, available: Number(r.available), readAt: Number(r.updated_at) }]));
  }

  async putMany(rows: AlertRow[], db: Executor = this.db): Promise<void> {
    const at = this.now();
    for (let i = 0; i < rows.length; i += 500) {
      const values = rows.slice(i, i + 500).map((r) => ({ sku: r.sku, location: r.location, armed: r.armed ? 1 : 0, available: r.available, updated_at: at }));
      await db
        .insertInto('stock_alerts')
        .values(values)
        .onConflict((oc) => oc.columns(['sku', 'location']).doUpdateSet((eb) => ({ armed: eb.ref('excluded.armed'), available: eb.ref('excluded.available'), updated_at: eb.ref('excluded.updated_at') })))
        .execute();
    }
  }
}
