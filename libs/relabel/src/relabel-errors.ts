import { HostnetError } from '@hostnet/contracts';
import { ViolationList, type IntentViolation } from '@hostnet/intent';

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

/** Collects every problem of a relabel request so the operator sees all of them at once. */
export class RelabelProblems extends ViolationList {
  constructor() {
    super((items) => new RelabelValidationError(items));
  }
}
