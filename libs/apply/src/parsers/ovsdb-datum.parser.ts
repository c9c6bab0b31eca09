/**
 * One cell of ovs-vsctl's default (`--data=string`) table output, read back exactly: an atom (bare, or a
 * JSON string when it needs quotes), a set `[a, b]` (an optional column that holds a value prints the bare
 * atom, an empty one `[]`) or a map `{k=v, k2=v2}`. `--data=bare` cannot be read back: it joins a map's
 * pairs with spaces and prints strings raw, so `note="a b=c"` and `{note=a, b=c}` print the same, and a
 * newline in a value splits the row.
 */
export type OvsdbDatum = { set: string[] } | { map: Record<string, string> };

const BARE = /[^\s",=[\]{}]+/y;

function readAtom(text: string, at: number): [string, number] {
  if (text[at] === '"') {
    let end = at + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) throw new Error('a string without its closing quote');
    try {
      return [JSON.parse(text.slice(at, end + 1)) as string, end + 1];
    } catch {
      throw new Error(`a malformed string at ${at}`);
    }
  }
  BARE.lastIndex = at;
  const bare = BARE.exec(text);
  if (!bare) throw new Error(`no value at ${at}`);
  return [bare[0], at + bare[0].length];
}

/** Items (each read by `item`) separated by `, ` up to `close`; the index after `close`. */
function readItems(text: string, at: number, close: string, item: (at: number) => number): number {
  if (text[at] === close) return at + 1;
  for (;;) {
    at = item(at);
    if (text[at] === close) return at + 1;
    if (text[at] !== ',') throw new Error(`"," or "${close}" expected at ${at}`);
    at += 1;
    while (text[at] === ' ') at += 1;
  }
}

export function parseOvsdbDatum(text: string): OvsdbDatum {
  let end: number;
  let datum: OvsdbDatum;
  if (text.startsWith('{')) {
    const pairs: [string, string][] = [];
    end = readItems(text, 1, '}', (at) => {
      const [key, eq] = readAtom(text, at);
      if (text[eq] !== '=') throw new Error(`"=" expected at ${eq}`);
      const [value, next] = readAtom(text, eq + 1);
      pairs.push([key, value]);
      return next;
    });
    // fromEntries defines every key as an own property, `__proto__` included
    datum = { map: Object.fromEntries(pairs) };
  } else if (text.startsWith('[')) {
    const atoms: string[] = [];
    end = readItems(text, 1, ']', (at) => {
      const [atom, next] = readAtom(text, at);
      atoms.push(atom);
      return next;
    });
    datum = { set: atoms };
  } else {
    const [atom, next] = readAtom(text, 0);
    end = next;
    datum = { set: [atom] };
  }
  if (end !== text.length) throw new Error(`unexpected text at ${end}`);
  return datum;
}

/** The column's one value (a string column, a name). */
export function oneAtom(datum: OvsdbDatum): string {
  if (!('set' in datum) || datum.set.length !== 1) throw new Error('one value expected');
  return datum.set[0];
}

/** An optional column's value, undefined when empty. */
export function optionalAtom(datum: OvsdbDatum): string | undefined {
  if (!('set' in datum) || datum.set.length > 1) throw new Error('at most one value expected');
  return datum.set[0];
}

/** A set of strings (an enum set such as a bridge's protocols). */
export function atoms(datum: OvsdbDatum): string[] {
  if (!('set' in datum)) throw new Error('a set expected');
  return datum.set;
}

export function integers(datum: OvsdbDatum): number[] {
  if (!('set' in datum)) throw new Error('a set of integers expected');
  return datum.set.map((atom) => {
    // beyond 2^53 a number would round, and an undo would write back a different one
    if (!/^-?\d+$/.test(atom) || !Number.isSafeInteger(Number(atom))) throw new Error(`${JSON.stringify(atom)} is not an integer`);
    return Number(atom);
  });
}

export function optionalInteger(datum: OvsdbDatum): number | undefined {
  const atom = optionalAtom(datum);
  return atom === undefined ? undefined : integers({ set: [atom] })[0];
}

/** A boolean column's value. */
export function flag(datum: OvsdbDatum): boolean {
  const atom = oneAtom(datum);
  if (atom !== 'true' && atom !== 'false') throw new Error(`${JSON.stringify(atom)} is not a boolean`);
  return atom === 'true';
}

export function mapOf(datum: OvsdbDatum): Record<string, string> {
  if (!('map' in datum)) throw new Error('a map expected');
  return datum.map;
}
