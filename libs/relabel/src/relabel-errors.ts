import { HostnetError } from '@hostnet/contracts';
import { showValue, type IntentViolation } from '@hostnet/intent';

/** Thrown when a relabel cannot be planned; carries every problem found, each naming its field and the fix. */
export class RelabelValidationError extends HostnetError {
  readonly permanent = true;
  readonly violations: readonly IntentViolation[];

  constructor(violations: readonly IntentViolation[]) {
    super(
      `relabel request is invalid (${violations.length} problem${violations.length === 1 ? '' : 's'}):\n` +
        violations.map((v) => `  - ${v.message}`).join('\n'),
    );
    this.violations = violations;
  }
}

/** Collects problems so the operator sees all of them at once. */
export class RelabelProblems {
  readonly items: IntentViolation[] = [];

  /** `<field>: <value> <problem>; fix: <fix>` */
  add(field: string, value: unknown, problem: string, fix: string): void {
    this.items.push({ field, value, message: `${field}: ${showValue(value)} ${problem}; fix: ${fix}` });
  }

  /** Records a validator's problem text (which already carries its fix); false when there was one. */
  addProblem(field: string, value: unknown, problem: string | null): boolean {
    if (problem === null) return true;
    this.items.push({ field, value, message: `${field}: ${showValue(value)} ${problem}` });
    return false;
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new RelabelValidationError(this.items);
  }
}
