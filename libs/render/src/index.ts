/** Public API of @hostnet/render: intent + target → files and apply steps. */
export type { ApplyStep, RenderedConfig, RenderedFile, RenderTargetId } from './domain/rendered-config';
export type { HostOsFacts } from './domain/host-os-facts';
export type { RenderOptions } from './domain/render-options';
export { AgentDeviceRetiredError, BackendSwitchError, OvsDatabaseDownError, InvalidIntentValueError, LiveStateRefusal, MissingNicError, MtuAboveForeignPortsError, RenderError, UnsupportedBackendError, UnsupportedHostOsError, VmPathCutError } from './domain/render-errors';
export { selectTarget, SUPPORTED_HOST_OS } from './select/target-selector';
export { assumedOsFacts, ASSUMED_OS_TOOLS } from './select/assumed-os-facts';
export { assertRenderableIntent, assertIfName, assertIpv4 } from './validation/render-guard';
export { renderHost, RENDER_TARGETS, EXPAND_LAYOUT_TARGETS, isRenderTargetId, renderTargetsOf } from './render-host';
export { renderPaths } from './render-paths';
export type { RenderedPaths } from './render-paths';
export { renderOvsLiveSteps } from './renderers/ovs-live-steps';
export { stableUuid } from './format/stable-uuid';
export { restoreActivation } from './activation/restore-activation';
export type { PreviousFile, PreviousFiles } from './activation/activation-steps';
export { AGENT_PROPERTIES_PATH, agentDevices, networkFilesOnly, rewriteAgentProperties, withAgentProperties } from './agent/agent-properties';
export type { AgentDevice, AgentDeviceKey, AgentPropertiesFile } from './agent/agent-properties';
export { unifiedDiff, UNIFIED_DIFF_LIMIT } from './format/unified-diff';
export { ACTIVATION_SNIPPETS, snippetArgv } from './activation/activation-snippets';
