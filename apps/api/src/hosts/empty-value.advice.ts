import { z } from 'zod';

/** What an empty string at `path` of `schema` should become: a field that may be left out says so, a required one does not. */
export function emptyValueAdvice(schema: z.ZodTypeAny, path: readonly (string | number)[]): string {
  const kind = slotAt(schema, path);
  if (kind === 'optional') return 'is empty; fix: give a value, or leave the field out';
  if (kind === 'element') return 'is empty; fix: give a value, or drop the empty entry';
  return 'is empty; fix: give a value (the field is required)';
}

/** Whether the last step of `path` is an optional object field, a list entry, or a required field. */
function slotAt(schema: z.ZodTypeAny, path: readonly (string | number)[]): 'optional' | 'element' | 'required' {
  let at: z.ZodTypeAny | undefined = schema;
  let slot: 'optional' | 'element' | 'required' = 'required';
  for (const key of path) {
    at = unwrap(at);
    if (at instanceof z.ZodArray) (at = at.element as z.ZodTypeAny), (slot = 'element');
    else if (at instanceof z.ZodRecord) (at = at.valueSchema as z.ZodTypeAny), (slot = 'required');
    else if (at instanceof z.ZodObject) {
      at = (at.shape as Record<string, z.ZodTypeAny>)[String(key)];
      slot = at instanceof z.ZodOptional || at instanceof z.ZodDefault ? 'optional' : 'required';
    } else return 'required';
  }
  return slot;
}

function unwrap(at: z.ZodTypeAny | undefined): z.ZodTypeAny | undefined {
  while (at instanceof z.ZodEffects || at instanceof z.ZodOptional || at instanceof z.ZodDefault || at instanceof z.ZodNullable) {
    at = at instanceof z.ZodEffects ? (at.innerType() as z.ZodTypeAny) : (at._def.innerType as z.ZodTypeAny);
  }
  return at;
}
