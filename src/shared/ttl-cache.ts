/**
 * A small memo for reference data that changes rarely (variant SKUs, order names, taxes, carriers): each
 * entry is good for `ttlMs`; beyond `max` entries the cache starts over. `perOwner` gives every owner (a
 * connector's env, an engine) its own cache, dropped with the owner.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  /** The fresh entry of `key`, or undefined. */
  get(key: K): { value: V } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (Date.now() - e.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: K, value: V): void {
    if (this.entries.size >= this.max && !this.entries.has(key)) this.entries.clear();
    this.entries.set(key, { value, at: Date.now() });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  static perOwner<O extends object, K, V>(ttlMs: number, max: number): (owner: O) => TtlCache<K, V> {
    const caches = new WeakMap<O, TtlCache<K, V>>();
    return (owner) => {
      let c = caches.get(owner);
      if (!c) caches.set(owner, (c = new TtlCache<K, V>(ttlMs, max)));
      return c;
    };
  }
}
