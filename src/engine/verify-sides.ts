/**
 * What the verification reads of each side of a flow, as one small fingerprint per record.
 *
 * A side the flow READS from (a source) is enumerated whole through the connector's own listing
 * (`Connector.list`, independent of the change feed — issue 11: a feed that loses records must not be able
 * to hide it). A side the flow only WRITES to (the ERP of a shop->erp flow) is read by the ids Tandem linked
 * (fetched in pages of 1,000), plus the records its natural keys find for the source records left unlinked:
 * what a full listing of it adds beyond those can never show up as a difference of a one-way flow (a target
 * record that is neither linked nor matched by a source record is not Tandem's), so it is not read — on a
 * real ERP holding many more products than the shop sells, or the records of earlier runs, that is most of
 * it. Nothing a write reported is trusted: every linked target record is read back as it is now.
 */
import type { Batch, Connector, NaturalKey, ReadOptions, SourceRecord } from '../connectors/contract.js';
import type { EntityType } from '../model/entities.js';
import { labelOf } from './records/batch.js';
import { comparableView } from './records/comparable.js';
import { hashValue } from './records/hash.js';
import { naturalKeys } from './records/natural-keys.js';
import { pick } from './records/ownership.js';
import { readAhead } from './records/read-ahead.js';
import { translateRefs, type RefMap } from './records/refs.js';

export interface Print {
  label: string;
  keys: string[];
  fields: Map<string, string>;
}

/**
 * Page size of the verification's reads: the largest page each connector allows (WooCommerce 100, Odoo
 * 1,000 per search_read), whatever the flow's write batch; only a fingerprint per record is kept.
 */
export const VERIFY_PAGE_SIZE = 1000;

/** Every record of one side: the connector's own listing when it has one, never only the change feed. */
export function enumerate<E extends EntityType>(conn: Connector, entity: E, pageSize: number, scope: ReadOptions = {}): AsyncIterable<Batch<E>> {
  // the verification compares mapped records only (never `raw`): the remote need not compute other fields
  const opts: ReadOptions = { pageSize, fields: 'mapped', ...scope };
  return conn.list ? conn.list(entity, opts) : conn.read(entity, null, opts);
}

function addPrints(out: Map<string, Print>, entity: EntityType, records: SourceRecord[], fields: string[], refs: RefMap): void {
  for (const r of records) {
    if (!r.data || r.deleted) continue;
    const data = comparableView(entity, translateRefs(entity, r.data, refs)) as Record<string, unknown>;
    out.set(r.id, {
      label: labelOf(entity, r.data, r.id),
      keys: naturalKeys(entity, r.data as never).flat().map((k) => `${k.type}:${k.value}`),
      fields: new Map(fields.map((f) => [f, hashValue(pick(data, [f]))])),
    });
  }
}

/** A whole side, enumerated (a page read ahead of the hashing). */
export async function listedPrints(conn: Connector, entity: EntityType, fields: string[], refs: RefMap, scope: ReadOptions = {}): Promise<Map<string, Print>> {
  const out = new Map<string, Print>();
  for await (const batch of readAhead(enumerate(conn, entity, VERIFY_PAGE_SIZE, scope))) addPrints(out, entity, batch.records as SourceRecord[], fields, refs);
  return out;
}

/** Prints of the records a sync's feed hands out, taken page by page as the sync reads them (feedPrints). */
export class ReadPrints {
  readonly prints = new Map<string, Print>();
  constructor(
    private readonly entity: EntityType,
    private readonly fields: string[],
    private readonly refs: RefMap,
  ) {}
  add(records: SourceRecord[]): void {
    addPrints(this.prints, this.entity, records, this.fields, this.refs);
  }
}

/**
 * A source side the sync's feed has just read whole (an initial run from the first page), without reading its
 * records a second time: what the feed read, checked against the connector's id-only listing
 * (`Connector.listIds`, the listing's paging with no fields: independent of the feed's query and window). A
 * listed id the feed never handed out (a feed that lost a record, a record added since) is fetched and
 * compared like any listed record — unlinked, it is a difference; a record the feed read that is no longer
 * listed is left out, as a listing would leave it out. A record changed after the feed read it is compared
 * as the feed read it (what the sync wrote): the next poll syncs that change.
 */
export async function feedPrints(conn: Connector, entity: EntityType, read: ReadPrints, fields: string[], refs: RefMap, scope: ReadOptions = {}): Promise<Map<string, Print>> {
  const out = read.prints;
  // First the count (one request): as many listed as the feed read means none was missed — unless, since
  // the feed read them, as many records were deleted as the feed lost. Only a difference costs the id
  // listing (on the lab's WooCommerce a page of ids costs about what a page of products does).
  if (conn.count && (await conn.count(entity, scope)) === out.size) return out;
  const listed = new Set<string>();
  for await (const ids of conn.listIds!(entity, { pageSize: VERIFY_PAGE_SIZE, ...scope })) for (const id of ids) listed.add(id);
  for (const id of out.keys()) if (!listed.has(id)) out.delete(id);
  const missed = [...listed].filter((id) => !out.has(id));
  if (missed.length) await fetchedPrints(conn, entity, missed, fields, refs, out);
  return out;
}

/** The records of a write-only side with these ids (absent ones are simply not in the map). */
export async function fetchedPrints(conn: Connector, entity: EntityType, ids: string[], fields: string[], refs: RefMap, into = new Map<string, Print>()): Promise<Map<string, Print>> {
  const pages: string[][] = [];
  for (let i = 0; i < ids.length; i += VERIFY_PAGE_SIZE) pages.push(ids.slice(i, i + VERIFY_PAGE_SIZE));
  // two pages in flight: the next page is requested while the previous one is hashed
  let next = pages.length ? conn.fetch(entity, pages[0]!) : null;
  for (let p = 0; next; p++) {
    const current = next;
    next = p + 1 < pages.length ? conn.fetch(entity, pages[p + 1]!) : null;
    next?.catch(() => undefined);
    addPrints(into, entity, (await current) as SourceRecord[], fields, refs);
  }
  return into;
}

/** The write-only side's records that the natural keys of unlinked source records find, linked ones left out. */
export async function matchedPrints(conn: Connector, entity: EntityType, unlinked: Print[], linked: Set<string>, fields: string[], refs: RefMap, into: Map<string, Print>): Promise<void> {
  const keys = new Map<string, NaturalKey>();
  for (const p of unlinked) {
    for (const k of p.keys) {
      const at = k.indexOf(':');
      keys.set(k, { type: k.slice(0, at) as NaturalKey['type'], value: k.slice(at + 1) });
    }
  }
  if (keys.size === 0) return;
  const found = await conn.findByNaturalKey(entity, [...keys.values()]);
  const ids = [...new Set([...found.values()].flat())].filter((id) => !linked.has(id) && !into.has(id));
  await fetchedPrints(conn, entity, ids, fields, refs, into);
}
