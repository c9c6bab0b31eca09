import { HostnetError } from '@hostnet/contracts';

/** One broken rule: which field, the offending value, and a message that says how to fix it. */
export interface IntentViolation {
  /** Path of the offending input, e.g. `profiles.el7.networks[0].bond.members[1]`. */
  field: string;
  value: unknown;
  /** `<field>: <problem>; fix: <what to do>` */
  message: string;
}

/** Thrown when a host intent cannot be built; carries every violation found, not just the first. */
export class IntentValidationError extends HostnetError {
  readonly permanent = true;
  readonly violations: readonly IntentViolation[];

  constructor(violations: readonly IntentViolation[]) {
    super(
      `host network intent is invalid (${violations.length} problem${violations.length === 1 ? '' : 's'}):\n` +
        violations.map((v) => `  - ${v.message}`).join('\n'),
    );
    this.violations = violations;
  }

  /** Field of the first violation (convenience for single-rule callers). */
  get field(): string {
    return this.violations[0]?.field ?? '';
  }

  /** Value of the first violation. */
  get value(): unknown {
    return this.violations[0]?.value;
  }
}

/** The value and a space before its problem; nothing for a value that is not there (`storageAddress: is missing …`). */
function shownBefore(value: unknown): string {
  return value === undefined ? '' : `${showValue(value)} `;
}

/**
 * Renders a value for an error message. JSON quoting keeps hostile input (newlines, quotes,
 * escape sequences) from forging extra log lines.
 */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * Accumulates violations so a caller can report all of them at once. `toError` makes the error thrown
 * by throwIfAny (default IntentValidationError), so other validators (relabel) share this one home.
 */
export class ViolationList {
  readonly items: IntentViolation[] = [];

  constructor(private readonly toError: (items: IntentViolation[]) => Error = (items) => new IntentValidationError(items)) {}

  /** Records `field` = `value` is wrong because `problem`; `fix` tells the operator what to do. */
  add(field: string, value: unknown, problem: string, fix: string): void {
    this.items.push({ field, value, message: `${field}: ${shownBefore(value)}${problem}; fix: ${fix}` });
  }

  /** Records a problem reported by a validator (`problem` already includes the fix). */
  addProblem(field: string, value: unknown, problem: string | null): boolean {
    if (problem === null) return true;
    this.items.push({ field, value, message: `${field}: ${shownBefore(value)}${problem}` });
    return false;
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  /** Throws `toError(items)` when anything was recorded. */
  throwIfAny(): void {
    if (this.items.length > 0) throw this.toError(this.items);
  }
}
