import { z } from 'zod';
import { editDistance } from './edit-distance';

/**
 * zod's 'Unrecognized key(s) in object' names a key but not the keys there are. These give a schema's
 * keys at an issue's path and the key each unknown one was likely meant to be (`dryrun` → `dryRun`),
 * for request bodies and profile files alike.
 */

/** The keys the object schema at `path` inside `schema` allows (through defaults, optionals, effects, arrays and records); none when there is no object there. */
export function knownKeysAt(schema: z.ZodTypeAny, path: readonly (string | number)[]): string[] {
  let at: z.ZodTypeAny | undefined = schema;
  let i = 0;
  while (at !== undefined) {
    if (at instanceof z.ZodEffects) at = at.innerType() as z.ZodTypeAny;
    else if (at instanceof z.ZodDefault || at instanceof z.ZodOptional || at instanceof z.ZodNullable) at = at._def.innerType as z.ZodTypeAny;
    else if (i === path.length) return at instanceof z.ZodObject ? Object.keys(at.shape as object) : [];
    else if (at instanceof z.ZodArray) (at = at.element as z.ZodTypeAny), i++;
    else if (at instanceof z.ZodRecord) (at = at.valueSchema as z.ZodTypeAny), i++;
    else if (at instanceof z.ZodObject) (at = (at.shape as Record<string, z.ZodTypeAny>)[String(path[i])]), i++;
    else return [];
  }
  return [];
}

/** `"dryrun" (did you mean "dryRun"?), "mode"`: each unknown key, quoted, with the known key it likely meant. */
export function unknownKeysText(keys: readonly string[], known: readonly string[]): string {
  const named = keys.slice(0, NAMED_KEYS).map((key) => {
      const meant = likelyMeant(key, known);
    return meant ? `${JSON.stringify(key)} (did you mean ${JSON.stringify(meant)}?)` : JSON.stringify(key);
  });
  return `${named.join(', ')}${keys.length > NAMED_KEYS ? `, … (${keys.length} in all)` : ''}`;
}

/** Unknown keys a message names; a file with hundreds says how many. */
const NAMED_KEYS = 10;

/** The same key in another case or with `-`/`_` (`hostdomain`, `new_label`), else one within two edits. */
function likelyMeant(key: string, known: readonly string[]): string | undefined {
  const bare = (s: string) => s.replace(/[-_]/g, '').toLowerCase();
  const same = known.find((k) => bare(k) === bare(key));
  if (same) return same;
  let best: { key: string; distance: number } | undefined;
  // a key from a file can be long: only a near length can be within two edits
  for (const k of known) {
    if (Math.abs(k.length - key.length) > 2) continue;
    const distance = editDistance(key, k);
    if (distance <= 2 && (!best || distance < best.distance)) best = { key: k, distance };
  }
  return best?.key;
}
