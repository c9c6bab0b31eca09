/** Public API of @hostnet/intent: host profiles + CloudStack topology → validated HostNetworkIntent. */
export type * from './domain/host-network-intent';
export type * from './domain/live-state';

export { buildHostIntent, tryBuildHostIntent } from './builder/host-intent.builder';
export type { BuildHostIntentInput, BuildHostIntentResult } from './builder/host-intent.builder';
export { compareCodePoints, compareNatural, compareNaturalIgnoringCase, naturalKey } from './builder/natural-order';
export { expectedLiveState, intendedMtus } from './live/expected-live-state';
export { paramDifferences, paramDifferenceText, type ParamDifference } from './live/link-params';
export { heldToForeignPorts } from './live/foreign-port-mtu';
export { routeFound } from './live/route-match';
export { ovsVlanLimits, type OvsVlanLimit } from './live/ovs-vlan-limits';
export { linkDifferences, liveDifferences } from './live/live-differences';

export { parseProfileSet, profileSetFromObject, ProfileLoadError, formatPath } from './profile/profile-set.parser';
export type { ProfileIssue } from './profile/profile-set.parser';
export { loadProfileSetFile } from './profile/profile-file.loader';
export { readSimpleYaml, type SimpleYamlResult } from './profile/yaml/simple-yaml.reader';
export { loadTopologyFile, parseTopologyJson, TopologyLoadError } from './topology/topology-file.loader';
export { profileSetSchema } from './profile/host-profile.schema';
export type {
  BondProfile,
  ExtraInterfaceProfile,
  HostOverride,
  HostProfile,
  NetworkProfile,
  ProfileSelector,
  ProfileSet,
} from './profile/host-profile.schema';
export { selectProfile, hostOverrideFor } from './profile/profile.selector';
export type { ProfileSelection } from './profile/profile.selector';

export { IntentValidationError, showValue, ViolationList } from './validation/intent-violation';
export type { IntentViolation } from './validation/intent-violation';
export { validateHostIntent } from './validation/host-intent.validator';
export {
  AGENT_PIF_PATTERN,
  LINK_LOCAL_BRIDGE,
  MAX_INTERFACE_NAME_LENGTH,
  interfaceNameProblem,
  isReservedInterfaceName,
  isValidInterfaceName,
  labelNameProblem,
  matchesAgentPifPattern,
  pifNameProblem,
  reservedNameProblem,
} from './validation/interface-name.validator';
export {
  formatIpv4,
  hostAddressProblem,
  inSubnet,
  isLinkLocal,
  isValidIpv4,
  isValidPrefix,
  netmaskToPrefix,
  parseCidr,
  parseIpv4,
  prefixToNetmask,
  routeDestination,
} from './validation/ipv4.validator';
export {
  MIIMON_MAX,
  MTU_MAX,
  MTU_MIN,
  VLAN_ID_MAX,
  VLAN_ID_MIN,
  domainNameProblem,
  isValidMtu,
  isValidVlanId,
  macAddressProblem,
  miimonProblem,
  mtuProblem,
  vlanIdProblem,
} from './validation/network-values.validator';
export { LINUX_BOND_MODES, OVS_BOND_MODES, bondOptionProblems, usesLacpRate, usesXmitHash } from './validation/bond-options.validator';

export { relabelIntent } from './relabel/relabel-overlay';
export { relabelRenames } from './relabel/relabel-step.validator';
export type { BridgeRename, RelabelLayout, RelabelLayoutRequest, RelabelTrafficType } from './relabel/relabel-step.validator';
export { patchPortName, vethNewEndName, vethOldEndName } from './relabel/relabel-link-names';
export { agentDeviceRenames } from './relabel/agent-device-renames';

export { AGENT_TAGGED, agentPifOf, agentPifs, agentVlanBridgeName, agentVlanBridgeProblem, highestAgentVlan } from './agent/agent-vlan-bridges';

export { lintZone, hasLintErrors, lintErrorsForHost, whereText } from './lint/zone-lint';
export type { LintCode, LintFinding, LintLocation, ZoneLintInput } from './lint/zone-lint.types';
export { DEFAULT_MTU } from './validation/mtu.validator';
