/**
 * One model's rows in memory, with the indexes that keep the usual connector queries off O(n):
 * hash indexes on chosen fields (default_code, barcode, foreign keys) and an ordered (write_date, id) index
 * for write_date cursors.
 */
export type Rec = { id: number } & Record<string, unknown>;

type Key = string | number | boolean;

/** Undo log of one call: a failed call is rolled back like a PostgreSQL transaction. */
export class Journal {
  private entries: (() => void)[] = [];
  active = false;

  begin(): void {
    this.entries = [];
    this.active = true;
  }

  record(undo: () => void): void {
    if (this.active) this.entries.push(undo);
  }

  commit(): void {
    this.entries = [];
    this.active = false;
  }

  rollback(): void {
    const list = this.entries;
    this.entries = [];
    this.active = false;
    for (let i = list.length - 1; i >= 0; i--) (list[i] as () => void)();
  }
}

function keyOf(v: unknown): Key {
  if (v === null || v === undefined || v === '') return false;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

export class Table {
  readonly rows = new Map<number, Rec>();
  private seq: number;
  private readonly hash = new Map<string, Map<Key, Set<number>>>();
  /** Sorted by (write_date, id). */
  private wdKeys: number[] = [];
  private wdIds: number[] = [];

  constructor(
    readonly model: string,
    indexed: string[],
    firstId = 1,
    private readonly journal: Journal = new Journal(),
  ) {
    this.seq = firstId;
    for (const f of indexed) this.hash.set(f, new Map());
  }

  nextId(): number {
    return this.seq++;
  }

  /** Moves the id sequence forward (seed data with fixed ids). */
  bumpSequence(id: number): void {
    if (id >= this.seq) this.seq = id + 1;
  }

  get size(): number {
    return this.rows.size;
  }

  get(id: number): Rec | undefined {
    return this.rows.get(id);
  }

  insert(rec: Rec): void {
    this.journal.record(() => this.delete(rec.id));
    this.rows.set(rec.id, rec);
    this.bumpSequence(rec.id);
    for (const [field, idx] of this.hash) add(idx, keyOf(rec[field]), rec.id);
    if (typeof rec.write_date === 'number') this.wdInsert(rec.write_date, rec.id);
  }

  /** Applies changes to a stored row, keeping indexes right. */
  update(rec: Rec, changes: Record<string, unknown>): void {
    if (this.journal.active) {
      const prev: Record<string, unknown> = {};
      const absent: string[] = [];
      for (const k of Object.keys(changes)) {
        if (k in rec) prev[k] = rec[k];
        else absent.push(k);
      }
      this.journal.record(() => {
        if (!this.rows.has(rec.id)) return;
        this.update(rec, prev);
        for (const k of absent) {
          this.update(rec, { [k]: undefined });
          delete rec[k];
        }
      });
    }
    for (const [field, value] of Object.entries(changes)) {
      const idx = this.hash.get(field);
      if (idx) {
        remove(idx, keyOf(rec[field]), rec.id);
        add(idx, keyOf(value), rec.id);
      }
      if (field === 'write_date' && rec.write_date !== value) {
        if (typeof rec.write_date === 'number') this.wdRemove(rec.write_date, rec.id);
        if (typeof value === 'number') this.wdInsert(value, rec.id);
      }
      rec[field] = value;
    }
  }

  delete(id: number): void {
    const rec = this.rows.get(id);
    if (!rec) return;
    this.journal.record(() => this.insert(rec));
    for (const [field, idx] of this.hash) remove(idx, keyOf(rec[field]), id);
    if (typeof rec.write_date === 'number') this.wdRemove(rec.write_date, id);
    this.rows.delete(id);
  }

  isIndexed(field: string): boolean {
    return this.hash.has(field);
  }

  /** Ids whose `field` equals `value` (indexed fields only). */
  lookup(field: string, value: unknown): Set<number> | undefined {
    const idx = this.hash.get(field);
    if (!idx) return undefined;
    return idx.get(keyOf(value)) ?? new Set();
  }

  /** Ids in (write_date, id) order, starting at the first write_date > / >= `fromUs`. */
  *byWriteDate(fromUs: number | null, inclusive: boolean, descending = false): Generator<number> {
    if (descending) {
      for (let i = this.wdIds.length - 1; i >= 0; i--) yield this.wdIds[i] as number;
      return;
    }
    let i = 0;
    if (fromUs !== null) i = lowerBound(this.wdKeys, this.wdIds, inclusive ? fromUs : fromUs + 1, 0);
    for (; i < this.wdIds.length; i++) yield this.wdIds[i] as number;
  }

  private wdInsert(key: number, id: number): void {
    const i = lowerBound(this.wdKeys, this.wdIds, key, id);
    if (i === this.wdKeys.length) {
      this.wdKeys.push(key);
      this.wdIds.push(id);
    } else {
      this.wdKeys.splice(i, 0, key);
      this.wdIds.splice(i, 0, id);
    }
  }

  private wdRemove(key: number, id: number): void {
    const i = lowerBound(this.wdKeys, this.wdIds, key, id);
    if (this.wdKeys[i] === key && this.wdIds[i] === id) {
      this.wdKeys.splice(i, 1);
      this.wdIds.splice(i, 1);
    }
  }
}

function add(idx: Map<Key, Set<number>>, k: Key, id: number): void {
  let s = idx.get(k);
  if (!s) idx.set(k, (s = new Set()));
  s.add(id);
}

function remove(idx: Map<Key, Set<number>>, k: Key, id: number): void {
  const s = idx.get(k);
  if (s) {
    s.delete(id);
    if (s.size === 0) idx.delete(k);
  }
}

/** First position whose (key, id) ≥ (key, id). */
function lowerBound(keys: number[], ids: number[], key: number, id: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid] as number;
    if (k < key || (k === key && (ids[mid] as number) < id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
