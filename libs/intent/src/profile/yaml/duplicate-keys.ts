import { isMap, isScalar, LineCounter, visit, type Document } from 'yaml';

/** A key that appears twice in one mapping, and where its second appearance is. */
export interface DuplicateKey {
  key: string;
  line: number;
  column: number;
}

/**
 * Duplicate mapping keys in linear time. The `yaml` package's own `uniqueKeys` check compares each
 * key with every earlier key of its map: quadratic, minutes for a 40k-host map. Scalar keys are
 * compared by type and value, as that check does; other keys (rare, refused by the schema) are skipped.
 */
export function findDuplicateKey(doc: Document, lineCounter: LineCounter): DuplicateKey | undefined {
  let found: DuplicateKey | undefined;
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return undefined;
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const id = `${typeof pair.key.value}:${String(pair.key.value)}`;
        if (seen.has(id)) {
          const pos = lineCounter.linePos(pair.key.range?.[0] ?? 0);
          found = { key: String(pair.key.value), line: pos.line, column: pos.col };
          return visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
  return found;
}
