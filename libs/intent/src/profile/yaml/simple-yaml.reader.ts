import { resolvePlainScalar } from './core-scalar';

/**
 * A linear-time reader for the plain subset of YAML 1.2.2 (https://yaml.org/spec/1.2.2/) that profile
 * files are written in: block mappings and sequences (§8.2), plain and quoted one-line scalars (§7.3,
 * resolved by the Core Schema, §10.3), one-line flow collections (§7.4), comments (§6.6), and
 * implicit keys of at most 1024 characters (§7.4.2, the implicit-key productions).
 * It exists for speed (the `yaml` package takes seconds for a 40k-host map); anything outside the
 * subset (anchors, tags, block scalars, multi-line scalars or flows, complex keys, directives, tabs,
 * several documents) makes it step aside with `unsupported`, and the caller uses the `yaml` package,
 * so results never differ (profile-set.parser.spec compares both). Duplicate keys are reported.
 */
export type SimpleYamlResult =
  | { kind: 'value'; value: unknown }
  | { kind: 'duplicate'; key: string; line: number; column: number }
  | { kind: 'unsupported'; reason: string };

class Unsupported extends Error {}
class Duplicate extends Error {
  constructor(
    readonly key: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(key);
  }
}

interface Line {
  /** 1-based line number in the file. */
  no: number;
  indent: number;
  /** Text after the indentation, comment and trailing spaces removed; never empty. */
  text: string;
}

const INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
const FLOW_END = new Set([',', '[', ']', '{', '}']);
const JSON_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);
/** YAML's limit on an implicit key, up to its `:`; the `yaml` package refuses longer block keys. */
const MAX_IMPLICIT_KEY = 1024;

export function readSimpleYaml(source: string): SimpleYamlResult {
  try {
    const lines = toLines(source.startsWith('\uFEFF') ? source.slice(1) : source);
    if (lines.length === 0) return { kind: 'value', value: null };
    const reader = new BlockReader(lines);
    const value = reader.block(lines[0]!.indent);
    if (!reader.done()) throw new Unsupported(`line ${reader.lineNo()}: indentation`);
    return { kind: 'value', value };
  } catch (error) {
    if (error instanceof Duplicate) return { kind: 'duplicate', key: error.key, line: error.line, column: error.column };
    if (error instanceof Unsupported) return { kind: 'unsupported', reason: error.message };
    throw error;
  }
}

function toLines(source: string): Line[] {
  const out: Line[] = [];
  const raw = source.split('\n');
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (line[indent] === '\t') throw new Unsupported(`line ${i + 1}: tab in indentation`);
    const text = stripComment(line.slice(indent)).trimEnd();
    if (text === '') continue;
    if (text.startsWith('%') || text.startsWith('...')) throw new Unsupported(`line ${i + 1}: directive or document end`);
    if (text.startsWith('---')) {
      if (out.length === 0 && indent === 0 && text === '---') continue;
      throw new Unsupported(`line ${i + 1}: document marker`);
    }
    if (text.includes('\t')) throw new Unsupported(`line ${i + 1}: tab`);
    out.push({ no: i + 1, indent, text });
  }
  return out;
}

/**
 * The line without its comment: a `#` at the start or after a space, outside quoted scalars. A quote
 * opens a quoted scalar only where a node may start (line start, after `- ` or `: `, and inside a
 * flow after `[`, `{` or `,`); elsewhere (`it's`) it is part of a plain scalar.
 */
function stripComment(text: string): string {
  let nodeStart = true;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ') continue;
    if (c === '#' && (i === 0 || text[i - 1] === ' ')) return text.slice(0, i);
    if (nodeStart && (c === '"' || c === "'")) {
      i = quotedEnd(text, i, 0) - 1;
      nodeStart = false;
    } else if (nodeStart && (c === '[' || c === '{')) {
      depth++;
    } else if (depth > 0 && (c === ']' || c === '}')) {
      depth--;
      nodeStart = false;
    } else if (depth > 0 && c === ',') {
      nodeStart = true;
    } else if (c === ':' && (i + 1 === text.length || text[i + 1] === ' ' || (depth > 0 && FLOW_END.has(text[i + 1]!)))) {
      nodeStart = true;
    } else if (nodeStart && c === '-' && (i + 1 === text.length || text[i + 1] === ' ')) {
      nodeStart = true;
    } else {
      nodeStart = false;
    }
  }
  return text;
}

class BlockReader {
  private i = 0;

  constructor(private readonly lines: Line[]) {}

  done(): boolean {
    return this.i >= this.lines.length;
  }

  lineNo(): number {
    return this.lines[this.i]?.no ?? 0;
  }

  block(indent: number): unknown {
    const line = this.lines[this.i]!;
    return isSeqItem(line.text) ? this.sequence(indent) : this.mapping(indent);
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const line = this.lines[this.i];
      if (!line || line.indent !== indent || !isSeqItem(line.text)) break;
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.i++;
        out.push(this.nested(indent, false));
        continue;
      }
      if (isSeqItem(rest)) throw new Unsupported(`line ${line.no}: compact nested sequence`);
      const column = indent + (line.text.length - rest.length);
      if (splitKey(rest, line.no)) {
        // `- key: value`: a mapping whose first line starts after the dash.
        this.lines[this.i] = { no: line.no, indent: column, text: rest };
        out.push(this.mapping(column));
      } else {
        this.i++;
        out.push(inlineValue(rest, line.no));
        this.noContinuation(indent);
      }
    }
    return out;
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (;;) {
      const line = this.lines[this.i];
      if (!line || line.indent !== indent || isSeqItem(line.text)) break;
      const split = splitKey(line.text, line.no);
      if (!split) throw new Unsupported(`line ${line.no}: not a "key: value" line`);
      const key = keyOf(split.key, line.no);
      if (seen.has(key)) throw new Duplicate(key, line.no, indent + 1);
      seen.add(key);
      this.i++;
      if (split.value === '') {
        out[key] = this.nested(indent, true);
      } else {
        out[key] = inlineValue(split.value, line.no);
        this.noContinuation(indent);
      }
    }
    return out;
  }

  /** The value on the lines after `key:` or `-`: a deeper block, a same-indent sequence (after a key), or null. */
  private nested(indent: number, afterKey: boolean): unknown {
    const next = this.lines[this.i];
    if (!next) return null;
    if (next.indent > indent) return this.block(next.indent);
    if (afterKey && next.indent === indent && isSeqItem(next.text)) return this.sequence(indent);
    return null;
  }

  /** A deeper line after an inline value would continue a multi-line scalar: not in the subset. */
  private noContinuation(indent: number): void {
    const next = this.lines[this.i];
    if (next && next.indent > indent) throw new Unsupported(`line ${next.no}: continuation line`);
  }
}

function isSeqItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** `key: value` / `key:` at the start of a block line, or undefined when the line is not one. */
function splitKey(text: string, no: number): { key: string; value: string } | undefined {
  if (text[0] === '"' || text[0] === "'") {
    const end = quotedEnd(text, 0, no);
    const after = text.slice(end);
    if (after === ':' || after.startsWith(': ')) return { key: text.slice(0, implicitKeyEnd(end, no)), value: after.slice(1).trim() };
    return undefined;
  }
  if (text[0] === '?' && (text.length === 1 || text[1] === ' ')) throw new Unsupported(`line ${no}: complex key`);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ':' && (i + 1 === text.length || text[i + 1] === ' ')) return { key: text.slice(0, implicitKeyEnd(i, no)).trimEnd(), value: text.slice(i + 1).trim() };
    if (i === 0 && (c === '[' || c === '{')) return undefined;
  }
  return undefined;
}

/** `colon`, the offset of an implicit key's `:` from the key's start, when within YAML's limit. */
function implicitKeyEnd(colon: number, no: number): number {
  if (colon > MAX_IMPLICIT_KEY) throw new Unsupported(`line ${no}: key longer than ${MAX_IMPLICIT_KEY} characters`);
  return colon;
}

/** A block mapping key as an object property name; only keys that resolve to strings are in the subset. */
function keyOf(raw: string, no: number): string {
  let key: unknown;
  if (raw[0] === '"' || raw[0] === "'") key = quoted(raw, no);
  else {
    if (raw === '' || startsWithIndicator(raw) || /[[\]{},]/.test(raw)) throw new Unsupported(`line ${no}: key ${raw}`);
    key = resolvePlainScalar(raw);
  }
  if (typeof key !== 'string' || key === '__proto__' || key === '<<') throw new Unsupported(`line ${no}: key ${raw}`);
  return key;
}

function startsWithIndicator(text: string): boolean {
  const c = text[0]!;
  if (!INDICATORS.has(c)) return false;
  // `-1`, `-x`, `:x`, `?x` are plain scalars; `- `, `: `, `? ` are not (and `,[]{}#&*!|>'"%@` never start one here).
  return !((c === '-' || c === '?' || c === ':') && text.length > 1 && text[1] !== ' ' && !FLOW_END.has(text[1]!));
}

/** A whole inline value (after `key: ` or `- `): a quoted or plain scalar, or a one-line flow collection. */
function inlineValue(text: string, no: number): unknown {
  if (text[0] === '[' || text[0] === '{') {
    const cursor = { pos: 0 };
    const value = flowValue(text, cursor, no);
    if (text.slice(cursor.pos).trim() !== '') throw new Unsupported(`line ${no}: text after a flow collection`);
    return value;
  }
  if (text[0] === '"' || text[0] === "'") {
    const end = quotedEnd(text, 0, no);
    if (text.slice(end).trim() !== '') throw new Unsupported(`line ${no}: text after a quoted scalar`);
    return quoted(text, no);
  }
  if (startsWithIndicator(text)) throw new Unsupported(`line ${no}: value ${text}`);
  if (/:( |$)/.test(text)) throw new Unsupported(`line ${no}: nested mapping in a value`);
  return resolvePlainScalar(text);
}

function flowValue(text: string, cursor: { pos: number }, no: number): unknown {
  skipSpaces(text, cursor);
  const c = text[cursor.pos];
  if (c === '[') return flowSequence(text, cursor, no);
  if (c === '{') return flowMapping(text, cursor, no);
  if (c === '"' || c === "'") {
    const end = quotedEnd(text, cursor.pos, no);
    const value = quoted(text.slice(cursor.pos, end), no);
    cursor.pos = end;
    return value;
  }
  const start = cursor.pos;
  while (cursor.pos < text.length) {
    const ch = text[cursor.pos]!;
    if (FLOW_END.has(ch)) break;
    if (ch === ':' && (cursor.pos + 1 === text.length || text[cursor.pos + 1] === ' ' || FLOW_END.has(text[cursor.pos + 1]!))) break;
    cursor.pos++;
  }
  const plain = text.slice(start, cursor.pos).trimEnd();
  if (plain === '' || startsWithIndicator(plain)) throw new Unsupported(`line ${no}: flow entry`);
  return resolvePlainScalar(plain);
}

function flowSequence(text: string, cursor: { pos: number }, no: number): unknown[] {
  const out: unknown[] = [];
  cursor.pos++;
  for (;;) {
    skipSpaces(text, cursor);
    if (text[cursor.pos] === ']') {
      cursor.pos++;
      return out;
    }
    out.push(flowValue(text, cursor, no));
    skipSpaces(text, cursor);
    const c = text[cursor.pos];
    if (c === ',') cursor.pos++;
    else if (c !== ']') throw new Unsupported(`line ${no}: flow sequence`);
  }
}

function flowMapping(text: string, cursor: { pos: number }, no: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  cursor.pos++;
  for (;;) {
    skipSpaces(text, cursor);
    if (text[cursor.pos] === '}') {
      cursor.pos++;
      return out;
    }
    const keyStart = cursor.pos;
    const key = flowValue(text, cursor, no);
    if (typeof key !== 'string' || key === '__proto__' || key === '<<') throw new Unsupported(`line ${no}: flow key`);
    if (text[cursor.pos] !== ':' || text[cursor.pos + 1] !== ' ') throw new Unsupported(`line ${no}: flow entry without ": "`);
    implicitKeyEnd(cursor.pos - keyStart, no);
    if (Object.prototype.hasOwnProperty.call(out, key)) throw new Duplicate(key, no, keyStart + 1);
    cursor.pos++;
    out[key] = flowValue(text, cursor, no);
    skipSpaces(text, cursor);
    const c = text[cursor.pos];
    if (c === ',') cursor.pos++;
    else if (c !== '}') throw new Unsupported(`line ${no}: flow mapping`);
  }
}

function skipSpaces(text: string, cursor: { pos: number }): void {
  while (text[cursor.pos] === ' ') cursor.pos++;
}

/** Index just past the closing quote of the quoted scalar starting at `start`. */
function quotedEnd(text: string, start: number, no: number): number {
  const q = text[start]!;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  throw new Unsupported(`line ${no}: unterminated quoted scalar`);
}

/** The value of a complete quoted scalar (`"…"` with JSON's escapes, or `'…'` with `''`). */
function quoted(raw: string, no: number): string {
  if (raw[0] === "'") return raw.slice(1, -1).replace(/''/g, "'");
  for (let i = 1; i < raw.length - 1; i++) {
    if (raw[i] === '\\') {
      if (!JSON_ESCAPES.has(raw[i + 1]!)) throw new Unsupported(`line ${no}: escape \\${raw[i + 1]}`);
      i++;
    }
  }
  try {
    return JSON.parse(raw) as string;
  } catch {
    throw new Unsupported(`line ${no}: double-quoted scalar`);
  }
}
