import { HostnetError } from '@hostnet/contracts';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { profileSetSchema, type ProfileSet } from './host-profile.schema';

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
      return { message: `is a ${issue.received}, expected ${issue.expected}; fix: write a ${issue.expected}` };
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

/** Parses and validates profile-file text (pure: no I/O); `file` only labels the errors. */
export function parseProfileSet(text: string, file: string): ProfileSet {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ProfileLoadError(
      file,
      doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line} column ${e.linePos[0].col}` : '(yaml)',
        message: `${e.message.split('\n')[0]}; fix: correct the YAML syntax`,
      })),
    );
  }
  const result = profileSetSchema.safeParse(doc.toJS({ maxAliasCount: 100 }), { errorMap });
  if (!result.success) {
    throw new ProfileLoadError(
      file,
      result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  }
  return { ...result.data, source: file };
}

/** Validates an already-parsed object (e.g. JSON) as a profile set. */
export function profileSetFromObject(data: unknown, source: string): ProfileSet {
  const result = profileSetSchema.safeParse(data, { errorMap });
  if (!result.success) {
    throw new ProfileLoadError(source, result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  }
  return { ...result.data, source };
}
