/**
 * Per-call cost of a real Odoo 17 (PLATFORMS.md, measured on a loaded machine), for benchmarks:
 * ~16 ms round trip; product create ≈ 500 ms alone vs 3.7 s for 1,000 in one call (fixed part dominates);
 * 1,000 partners ≈ 1.8 s; search_read of stored fields ≈ 33 ms per 1,000 rows, ~20× that with computed
 * stock quantities. The simulator awaits `ms × costScale`.
 */
export const ROUND_TRIP_MS = 16;

const STOCK_FIELDS = new Set(['qty_available', 'virtual_available', 'free_qty', 'incoming_qty', 'outgoing_qty']);

/** fixed + perRecord × n: 1 → ~500 ms, 1,000 → ~3,700 ms. */
const PRODUCT_CREATE = { fixed: 496.8, perRecord: 3.2 };
/** 1,000 → ~1,800 ms; a single partner ~60 ms. */
const PARTNER_CREATE = { fixed: 58.3, perRecord: 1.742 };
const OTHER_CREATE = { fixed: 30, perRecord: 2 };
const WRITE = { fixed: 20, perRecord: 1.5 };
const READ_PER_ROW = 0.033;
const READ_COMPUTED_PER_ROW = 0.6;
const BUSINESS_METHOD = 120;

export interface CostInput {
  model: string;
  method: string;
  /** Records created / written / returned. */
  records: number;
  /** Fields read (search_read/read), when known. */
  fields?: unknown;
}

/** Milliseconds a real server would spend on this call (before costScale). */
export function callCost(c: CostInput): number {
  const n = Math.max(1, c.records);
  let ms: number;
  switch (c.method) {
    case 'create':
    case 'web_save': {
      // web_save on an empty recordset: the same create, then a web_read of the new records (stored fields)
      const k = c.model === 'product.template' || c.model === 'product.product' ? PRODUCT_CREATE : c.model === 'res.partner' ? PARTNER_CREATE : OTHER_CREATE;
      ms = k.fixed + k.perRecord * n + (c.method === 'web_save' ? READ_PER_ROW * n : 0);
      break;
    }
    case 'write':
    case 'unlink':
      ms = WRITE.fixed + WRITE.perRecord * n;
      break;
    case 'read':
    case 'search_read':
    case 'web_read':
    case 'web_search_read': {
      const fields = Array.isArray(c.fields) ? (c.fields as unknown[]) : [];
      const computed = fields.length === 0 || fields.some((f) => typeof f === 'string' && STOCK_FIELDS.has(f));
      ms = 2 + (computed && c.model.startsWith('product.') ? READ_COMPUTED_PER_ROW : READ_PER_ROW) * c.records;
      break;
    }
    case 'search':
    case 'search_count':
    case 'name_search':
    case 'fields_get':
    case 'read_group':
    case 'formatted_read_group':
    case 'check_access_rights':
    case 'context_get':
      ms = 3;
      break;
    default:
      ms = BUSINESS_METHOD;
  }
  return ROUND_TRIP_MS + ms;
}
