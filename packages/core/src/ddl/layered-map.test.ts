import { describe, expect, it } from 'vitest';
import { LayeredMap } from './layered-map.js';

type Op = readonly ['set', string, number] | readonly ['delete', string] | readonly ['fork'];

/** Applies `ops` to a LayeredMap over `base` and to a plain Map copy; both must read the same after each. */
function replay(base: ReadonlyMap<string, number>, ops: readonly Op[]) {
  let layered = new LayeredMap(base);
  const reference = new Map(base);
  const snapshots: { layered: LayeredMap<string, number>; entries: [string, number][] }[] = [];
  for (const op of ops) {
    if (op[0] === 'fork') {
      snapshots.push({ layered, entries: [...reference] });
      layered = layered.fork();
    } else if (op[0] === 'set') {
      layered.set(op[1], op[2]);
      reference.set(op[1], op[2]);
    } else {
      layered.delete(op[1]);
      reference.delete(op[1]);
    }
    expect(layered.size).toBe(reference.size);
  }
  return { layered, reference, snapshots };
}

const base = new Map([
  ['a', 1],
  ['b', 2],
  ['c', 3],
]);

describe('LayeredMap', () => {
  it.each<[string, ReadonlyMap<string, number>, readonly Op[]]>([
    ['no change', base, []],
    ['a new key goes last', base, [['set', 'd', 4]]],
    ['a changed base key keeps its place', base, [['set', 'b', 20]]],
    ['a deleted base key is gone', base, [['delete', 'b']]],
    ['deleted then set again', base, [['delete', 'a'], ['set', 'a', 10]]],
    ['deleting a missing key changes nothing', base, [['delete', 'zz']]],
    ['on an empty base it is a Map', new Map(), [['set', 'x', 1], ['set', 'y', 2], ['delete', 'x'], ['set', 'x', 3], ['set', 'y', 4]]],
    ['deleted, set, deleted and set again', base, [['set', 'b', 7], ['delete', 'b'], ['set', 'b', 8], ['set', 'd', 4], ['delete', 'b'], ['set', 'b', 9]]],
    ['forks in between', base, [['set', 'd', 4], ['fork'], ['delete', 'a'], ['fork'], ['set', 'd', 5], ['set', 'e', 6], ['fork'], ['delete', 'd'], ['delete', 'c'], ['fork'], ['set', 'c', 7]]],
  ])('%s: reads, size and order as a Map', (_, start, ops) => {
    const { layered, reference } = replay(start, ops);
    expect([...layered]).toEqual([...reference]);
    expect([...layered.keys()]).toEqual([...reference.keys()]);
    expect([...layered.values()]).toEqual([...reference.values()]);
    for (const key of ['a', 'b', 'c', 'd', 'e', 'x', 'y', 'zz']) {
      expect(layered.get(key)).toBe(reference.get(key));
      expect(layered.has(key)).toBe(reference.has(key));
    }
    const seen: [string, number][] = [];
    layered.forEach((v, k) => seen.push([k, v]));
    expect(seen).toEqual([...reference]);
  });

  it('a fork leaves the map it came from as it was', () => {
    const { snapshots } = replay(base, [['set', 'd', 4], ['fork'], ['delete', 'a'], ['set', 'b', 9], ['fork'], ['set', 'e', 5]]);
    for (const s of snapshots) expect([...s.layered]).toEqual(s.entries);
  });

  it('never changes its base', () => {
    const start = new Map(base);
    replay(start, [['delete', 'a'], ['set', 'b', 9], ['set', 'q', 1]]);
    expect([...start]).toEqual([...base]);
  });

  it('a changed LayeredMap as base is flattened, an unchanged one shares its base', () => {
    const first = new LayeredMap(base);
    first.set('d', 4);
    const second = new LayeredMap<string, number>(first);
    second.delete('d');
    expect([...second]).toEqual([...base]);
    expect([...first]).toEqual([...base, ['d', 4]]);
    const untouched = new LayeredMap(new LayeredMap(base));
    expect([...untouched]).toEqual([...base]);
    expect(untouched.unchanged).toBe(true);
  });
});
