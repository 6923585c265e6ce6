/**
 * A read-only map made of a base map that is never copied or changed and one small layer of
 * changes on top of it (values set, keys deleted). DDL replay starts from the tables every other
 * file declares (thousands, in a repository of migrations) and hands a view of its tables to every
 * statement; a text changes few of them. Copying on write the whole map after each state handed out
 * cost more than the rest of the replay (`writableTables`: 583 ms self time linting PostgreSQL's
 * regression SQL, and a copy of every known table alive per state); copying the layer costs what the
 * text itself declared.
 *
 * Iteration order is a `Map`'s: the base's order (changed values in place), then the keys added,
 * in the order they were added (a key deleted and set again counts as added).
 */
export class LayeredMap<K, V> implements ReadonlyMap<K, V> {
  private readonly base: ReadonlyMap<K, V>;
  /** Changes to the base: a value, or `undefined` for a key of the base that was deleted. */
  private readonly layer: Map<K, V | undefined>;
  /** Keys of the base deleted and then set again: a `Map` moves them last, and so does this one. */
  private moved: Set<K> | undefined;
  private count: number;

  /**
   * @param base never changed by this map; when it is itself a LayeredMap with changes, it is
   *   flattened into a new base once, so that a chain of replays (one file's tables the next one's
   *   base) never makes a lookup walk more than two maps.
   */
  constructor(base: ReadonlyMap<K, V> = new Map()) {
    this.base = base instanceof LayeredMap && base.layer.size > 0 ? new Map(base) : base instanceof LayeredMap ? base.base : base;
    this.layer = new Map();
    this.moved = undefined;
    this.count = this.base.size;
  }

  /** A copy sharing the base: the one to change, while this one stays as it is. */
  fork(): LayeredMap<K, V> {
    const copy = Object.create(LayeredMap.prototype) as { base: ReadonlyMap<K, V>; layer: Map<K, V | undefined>; count: number; moved: Set<K> | undefined };
    copy.base = this.base;
    copy.layer = new Map(this.layer);
    copy.count = this.count;
    copy.moved = this.moved && new Set(this.moved);
    return copy as unknown as LayeredMap<K, V>;
  }

  get size(): number {
    return this.count;
  }

  /** Whether nothing was set or deleted: the same entries as the base it started from. */
  get unchanged(): boolean {
    return this.layer.size === 0;
  }

  get(key: K): V | undefined {
    if (this.layer.size === 0) return this.base.get(key);
    const changed = this.layer.get(key);
    if (changed !== undefined || this.layer.has(key)) return changed;
    return this.base.get(key);
  }

  has(key: K): boolean {
    if (this.layer.size === 0) return this.base.has(key);
    if (this.layer.has(key)) return this.layer.get(key) !== undefined;
    return this.base.has(key);
  }

  /** Sets a value: only on a map no one else has seen (see {@link fork}). */
  set(key: K, value: V): void {
    if (this.layer.has(key) && this.layer.get(key) === undefined) {
      // A deleted key of the base, set again: last in the order, as in a Map.
      this.layer.delete(key);
      (this.moved ??= new Set()).add(key);
      this.count++;
    } else if (!this.has(key)) this.count++;
    this.layer.set(key, value);
  }

  /** Deletes a key: only on a map no one else has seen (see {@link fork}). */
  delete(key: K): void {
    if (!this.has(key)) return;
    this.count--;
    this.layer.delete(key);
    if (this.base.has(key)) this.layer.set(key, undefined);
  }

  *entries(): MapIterator<[K, V]> {
    const { layer, moved } = this;
    for (const entry of this.base) {
      if (layer.size === 0 || !layer.has(entry[0])) yield entry;
      else if (!moved?.has(entry[0])) {
        const changed = layer.get(entry[0]);
        if (changed !== undefined) yield [entry[0], changed];
      }
    }
    for (const [key, value] of layer) if (value !== undefined && (!this.base.has(key) || moved?.has(key))) yield [key, value];
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  get [Symbol.toStringTag](): string {
    return 'LayeredMap';
  }
}
