import { compareNatural } from '../builder/natural-order';
import { checkAgentBridgeNames } from './checks/agent-bridge-names.check';
import { checkLabelsBetweenClusters } from './checks/cluster-labels.check';
import { checkDuplicateHostAddresses } from './checks/duplicate-host-address.check';
import { checkDuplicateManagementAddresses } from './checks/duplicate-management-address.check';
import { checkHostEntries } from './checks/host-entries.check';
import { checkHostIntents } from './checks/host-intent.check';
import { checkLabelVlanConflicts } from './checks/label-vlan-conflict.check';
import { checkMissingLabels } from './checks/label-missing.check';
import { checkLinkLocal } from './checks/link-local.check';
import { checkSelectorTargets } from './checks/selector-targets.check';
import { checkStorageRangeCapacity } from './checks/storage-range-capacity.check';
import { lintContext, type LintContext } from './lint-context';
import type { LintFinding, LintLocation, ZoneLintInput } from './zone-lint.types';

const CHECKS: ReadonlyArray<(ctx: LintContext) => LintFinding[]> = [
  checkDuplicateManagementAddresses,
  checkDuplicateHostAddresses,
  checkStorageRangeCapacity,
  checkAgentBridgeNames,
  checkLabelVlanConflicts,
  checkLabelsBetweenClusters,
  checkLinkLocal,
  checkMissingLabels,
  checkSelectorTargets,
  checkHostEntries,
  checkHostIntents,
];

/**
 * Lints a zone against the profiles (issue 11 item 7): every finding with where it sits and the fix,
 * errors first. Pure: the same input gives the same findings in the same order.
 */
export function lintZone(input: ZoneLintInput): LintFinding[] {
  const ctx = lintContext(input);
  const findings = CHECKS.flatMap((check) => check(ctx));
  return findings.sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning') || a.code.localeCompare(b.code) || compareNatural(whereText(a.where), whereText(b.where)));
}

/** True when any finding is an error. */
export function hasLintErrors(findings: readonly LintFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/**
 * The errors that must stop a run of `hostId`. `host-intent-invalid` is left out: the run derives the
 * intent itself and reports every violation in full.
 */
export function lintErrorsForHost(findings: readonly LintFinding[], hostId: string): LintFinding[] {
  return findings.filter((f) => f.severity === 'error' && f.code !== 'host-intent-invalid' && f.hostIds.includes(hostId));
}

/** `zone mylab / pod pod1 / host kvm1`: a location as one line. */
export function whereText(where: LintLocation): string {
  const parts: string[] = [`zone ${where.zone}`];
  if (where.pod !== undefined) parts.push(`pod ${where.pod}`);
  if (where.cluster !== undefined) parts.push(`cluster ${where.cluster}`);
  if (where.physicalNetwork !== undefined) parts.push(`physical network ${where.physicalNetwork}`);
  if (where.host !== undefined) parts.push(`host ${where.host}`);
  return parts.join(' / ');
}
