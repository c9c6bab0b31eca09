import { HostnetError, knownKeysAt, unknownKeysText } from '@hostnet/contracts';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { profileSetSchema, profileSetSchemaHostsChecked, type ProfileSet } from './host-profile.schema';
import { hostOverridesValid } from './host-overrides.check';
import { findDuplicateKey } from './yaml/duplicate-keys';
import { readSimpleYaml } from './yaml/simple-yaml.reader';

/** Largest profile file read (a 40k-host map with overrides is a few MiB). */
export const MAX_PROFILE_FILE_BYTES = 32 * 1024 * 1024;

/** One problem in a profile file: where (path inside the file) and what to do. */
export interface ProfileIssue {
  /** e.g. `profiles.el7.networks[1].bond.members[0]` */
  path: string;
  /** Problem and fix. */
  message: string;
}

/** A profile file failed to parse or validate; the message lists `file: path: problem; fix: …` per issue. */
export class ProfileLoadError extends HostnetError {
  readonly permanent = true;

  constructor(
    readonly file: string,
    readonly issues: readonly ProfileIssue[],
  ) {
    super(`invalid host profile file ${file}:\n` + issues.map((i) => `  ${file}: ${i.path}: ${i.message}`).join('\n'));
  }
}

/** `['profiles','el7','networks',1,'bond']` → `profiles.el7.networks[1].bond` (odd keys quoted). */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? '(top level)' : out;
}

/** Adds the fix to zod's built-in messages; custom issues already carry theirs. */
const errorMap: z.ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.received === 'undefined') return { message: `is required; fix: add it (${issue.expected})` };
      return { message: `is ${article(issue.received)}, expected ${article(issue.expected)}; fix: write ${article(issue.expected)}` };
    case z.ZodIssueCode.unrecognized_keys:
      return { message: `has unknown key(s) ${issue.keys.join(', ')}; fix: remove them or check the spelling (see libs/intent/README.md)` };
    case z.ZodIssueCode.invalid_enum_value:
      return { message: `${JSON.stringify(issue.received)} is not allowed; fix: use one of ${issue.options.join(', ')}` };
    case z.ZodIssueCode.invalid_literal:
      return { message: `must be ${JSON.stringify(issue.expected)}; fix: write ${JSON.stringify(issue.expected)}` };
    case z.ZodIssueCode.too_small:
      return { message: `${ctx.defaultError}; fix: use at least ${issue.minimum}` };
    case z.ZodIssueCode.too_big:
      return { message: `${ctx.defaultError}; fix: use at most ${issue.maximum}` };
    default:
      return { message: ctx.defaultError.includes('fix:') ? ctx.defaultError : `${ctx.defaultError}; fix: see libs/intent/README.md` };
  }
};

/** The file is over MAX_PROFILE_FILE_BYTES; `bytes` is its size. */
export function profileFileTooLarge(file: string, bytes: number): ProfileLoadError {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return new ProfileLoadError(file, [
    { path: '(file)', message: `is ${mib(bytes)}, over the ${mib(MAX_PROFILE_FILE_BYTES)} limit; fix: check it is the right file, or move host overrides into fewer, broader selectors` },
  ]);
}

/**
 * Parses and validates profile-file text (pure: no I/O); `file` only labels the errors. Linear in
 * the size of the text: the plain YAML profile files are written in goes through readSimpleYaml,
 * anything else through the `yaml` package with a linear duplicate-key check.
 */
export function parseProfileSet(text: string, file: string): ProfileSet {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_PROFILE_FILE_BYTES) throw profileFileTooLarge(file, bytes);
  const data = parseYaml(text, file);
  const hosts = data && typeof data === 'object' ? (data as { hosts?: unknown }).hosts : undefined;
  const schema = hostOverridesValid(hosts) ? profileSetSchemaHostsChecked : profileSetSchema;
  const result = schema.safeParse(data, { errorMap });
  if (!result.success) throw new ProfileLoadError(file, issuesOf(schema, result.error));
  return { ...result.data, source: file };
}

/** YAML text to plain data; duplicate keys and syntax errors are ProfileLoadErrors with the line. */
function parseYaml(text: string, file: string): unknown {
  const fast = readSimpleYaml(text);
  if (fast.kind === 'value') return fast.value;
  if (fast.kind === 'duplicate') throw duplicateKeyError(file, fast);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter });
  if (doc.errors.length > 0) {
    throw new ProfileLoadError(
      file,
      doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line} column ${e.linePos[0].col}` : '(yaml)',
        // the path already says where: prettyErrors' own " at line L, column C:" would say it twice
        message: `${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}; fix: correct the YAML syntax`,
      })),
    );
  }
  const duplicate = findDuplicateKey(doc, lineCounter);
  if (duplicate) throw duplicateKeyError(file, duplicate);
  return doc.toJS({ maxAliasCount: 100 });
}

function duplicateKeyError(file: string, d: { key: string; line: number; column: number }): ProfileLoadError {
  return new ProfileLoadError(file, [
    { path: `line ${d.line} column ${d.column}`, message: `Map keys must be unique: ${JSON.stringify(d.key)} appears again; fix: keep one entry per key` },
  ]);
}

/** Each issue at its path; an unknown key names the keys there are and the one it was likely meant to be. */
function issuesOf(schema: z.ZodTypeAny, error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => {
    if (i.code !== z.ZodIssueCode.unrecognized_keys) return { path: formatPath(i.path), message: i.message };
    const known = knownKeysAt(schema, i.path);
    const there = known.length > 0 ? `the keys here are ${known.join(', ')}; ` : '';
    return { path: formatPath(i.path), message: `has unknown key(s) ${unknownKeysText(i.keys, known)}; fix: remove them or check the spelling (${there}see libs/intent/README.md)` };
  });
}

/** Validates an already-parsed object (e.g. JSON) as a profile set. */
export function profileSetFromObject(data: unknown, source: string): ProfileSet {
  const result = profileSetSchema.safeParse(data, { errorMap });
  if (!result.success) throw new ProfileLoadError(source, issuesOf(profileSetSchema, result.error));
  return { ...result.data, source };
}

/** `an array`, `an object`, `a string`: zod's type names as a sentence reads them. */
function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
