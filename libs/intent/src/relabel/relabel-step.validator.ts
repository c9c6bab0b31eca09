import { labelNameProblem } from '../validation/interface-name.validator';
import { IntentValidationError, ViolationList } from '../validation/intent-violation';

export type RelabelLayout = 'old' | 'both' | 'new';
export type RelabelTrafficType = 'Management' | 'Guest' | 'Public' | 'Storage';

/** The part of a relabel host step (contracts RelabelHostStep) that decides a host's layout. */
export interface RelabelLayoutRequest {
  layout: RelabelLayout;
  changes: ReadonlyArray<{ physicalNetworkId: string; trafficType: RelabelTrafficType; oldLabel: string; newLabel: string }>;
}

/** One bridge rename of the step: every traffic type the old bridge serves that moves with it. */
export interface BridgeRename {
  oldLabel: string;
  newLabel: string;
  trafficTypes: RelabelTrafficType[];
  /** `relabel.changes[i]` of the first change naming it, for errors. */
  field: string;
}

const LAYOUTS: readonly string[] = ['old', 'both', 'new'];
const TRAFFIC: readonly string[] = ['Management', 'Guest', 'Public', 'Storage'];

/**
 * Checks a relabel step from a job payload (input: every label is validated as a bridge name) and
 * groups its changes into bridge renames. Throws IntentValidationError listing every problem.
 */
export function relabelRenames(step: RelabelLayoutRequest): BridgeRename[] {
  const errors = new ViolationList();
  if (!LAYOUTS.includes(step?.layout)) errors.add('relabel.layout', step?.layout, 'is not a layout', 'use old, both or new');
  const changes = Array.isArray(step?.changes) ? step.changes : [];
  if (changes.length === 0) errors.add('relabel.changes', step?.changes, 'lists no change', 'list at least one label change');
  const byOld = new Map<string, BridgeRename>();
  const newOwners = new Map<string, string>();
  changes.forEach((change, i) => {
    const at = `relabel.changes[${i}]`;
    if (typeof change?.physicalNetworkId !== 'string' || change.physicalNetworkId === '') errors.add(`${at}.physicalNetworkId`, change?.physicalNetworkId, 'is not an id', 'give the physical network id');
    if (!TRAFFIC.includes(change?.trafficType)) errors.add(`${at}.trafficType`, change?.trafficType, 'is not a traffic type', `use one of ${TRAFFIC.join(', ')}`);
    const oldOk = errors.addProblem(`${at}.oldLabel`, change?.oldLabel, labelNameProblem(change?.oldLabel));
    const newOk = errors.addProblem(`${at}.newLabel`, change?.newLabel, labelNameProblem(change?.newLabel));
    if (!oldOk || !newOk || !TRAFFIC.includes(change.trafficType)) return;
    if (change.oldLabel === change.newLabel) {
      errors.add(`${at}.newLabel`, change.newLabel, 'equals the old label', 'drop the change or give a new bridge name');
      return;
    }
    const known = byOld.get(change.oldLabel);
    if (known && known.newLabel !== change.newLabel) {
      errors.add(`${at}.newLabel`, change.newLabel, `differs from ${known.field}.newLabel ${JSON.stringify(known.newLabel)} for the same old bridge`, 'move every traffic type of a bridge to the same new bridge');
      return;
    }
    const owner = newOwners.get(change.newLabel);
    if (owner !== undefined && owner !== change.oldLabel) {
      errors.add(`${at}.newLabel`, change.newLabel, `is also the new label of bridge ${owner}`, 'give each old bridge its own new name');
      return;
    }
    newOwners.set(change.newLabel, change.oldLabel);
    const rename: BridgeRename = known ?? { oldLabel: change.oldLabel, newLabel: change.newLabel, trafficTypes: [], field: at };
    if (!rename.trafficTypes.includes(change.trafficType)) rename.trafficTypes.push(change.trafficType);
    byOld.set(change.oldLabel, rename);
  });
  for (const rename of byOld.values()) {
    if (byOld.has(rename.newLabel)) errors.add(`${rename.field}.newLabel`, rename.newLabel, 'is also an old label of this step', 'rename in two rollouts, not in a chain');
  }
  if (!errors.empty) throw new IntentValidationError(errors.items);
  return [...byOld.values()];
}
