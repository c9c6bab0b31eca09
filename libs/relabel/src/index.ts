/** Public API of @hostnet/relabel: a pure planner for bulk re-labelling of KVM traffic (issue 9, docs/relabel.md). */
export { planRelabel, RELABEL_PLAN_VERSION } from './relabel.planner';
export { RelabelProblems, RelabelValidationError } from './relabel-errors';
export { agentVlanBridgeName } from './agent-bridge-names.check';
export type * from './relabel-plan.types';
