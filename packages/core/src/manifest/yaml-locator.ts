import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Position } from '../line-index.js';
import type { KeyPath } from './issue.js';

/** Maps key paths of a parsed YAML document to 1-based lines and columns. */
export class YamlLocator {
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
      const entry = child(node, segment);
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
}

function child(node: unknown, segment: string | number): { key: Node; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
    return pair && isNode(pair.key) ? { key: pair.key, value: pair.value } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return isNode(item) ? { key: item, value: item } : undefined;
  }
  return undefined;
}

/** A node with source text (`key:` with nothing after it yields an empty null scalar). */
function isWritten(node: unknown): node is Node {
  const range = isNode(node) ? node.range : undefined;
  return range ? range[1] > range[0] : false;
}
