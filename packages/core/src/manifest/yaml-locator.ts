import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Node, type YAMLMap } from 'yaml';
import type { Position } from '../line-index.js';
import type { KeyPath } from './issue.js';

type Entry = { readonly key: Node; readonly value: unknown };

/**
 * Maps key paths of a parsed YAML document to 1-based lines and columns. Each mapping's keys are
 * indexed once, on first use, so locating every table of a large manifest is linear in its size
 * rather than quadratic (a scan of the mapping per key).
 */
export class YamlLocator {
  private readonly indexes = new WeakMap<YAMLMap, Map<string, Entry>>();

  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /**
   * Where the last key of `path` is written, or its value. An empty value falls back to its key, and a
   * path that runs past the document (a missing key) to the deepest key that exists.
   */
  locate(path: KeyPath, at: 'key' | 'value'): Position {
    let node: unknown = this.doc.contents;
    let key: Node | undefined;
    let complete = true;
    for (const segment of path) {
      const entry = this.child(node, segment);
      if (!entry) {
        complete = false;
        break;
      }
      ({ key, value: node } = entry);
    }
    const target = complete && at === 'value' && isWritten(node) ? node : (key ?? this.doc.contents);
    const { line, col } = this.lineCounter.linePos(target?.range?.[0] ?? 0);
    return { line, column: col };
  }

  private child(node: unknown, segment: string | number): Entry | undefined {
    if (isMap(node)) return this.index(node).get(String(segment));
    if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      return isNode(item) ? { key: item, value: item } : undefined;
    }
    return undefined;
  }

  /** The mapping's scalar keys, as written; the first of equal keys wins (as a scan would find it). */
  private index(map: YAMLMap): Map<string, Entry> {
    let index = this.indexes.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || !isNode(pair.key)) continue;
        const name = String(pair.key.value);
        if (!index.has(name)) index.set(name, { key: pair.key, value: pair.value });
      }
      this.indexes.set(map, index);
    }
    return index;
  }
}

/** A node with source text (`key:` with nothing after it yields an empty null scalar). */
function isWritten(node: unknown): node is Node {
  const range = isNode(node) ? node.range : undefined;
  return range ? range[1] > range[0] : false;
}
