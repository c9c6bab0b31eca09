import type { ApiBodyOptions, ApiResponseOptions } from '@nestjs/swagger';

/** OpenAPI shapes of /relabels (docs/relabel.md §4): the plan request and the rollout's progress. */
export const PLAN_BODY: ApiBodyOptions = {
  schema: {
    type: 'object',
    required: ['zone', 'changes'],
    properties: {
      zone: { type: 'string', description: 'zone id or name' },
      changes: {
        type: 'array',
        items: {
          type: 'object',
          required: ['physicalNetwork', 'trafficType', 'newLabel'],
          properties: { physicalNetwork: { type: 'string' }, trafficType: { type: 'string' }, newLabel: { type: 'string' } },
        },
      },
      scope: { type: 'array', items: { type: 'string' }, description: 'cluster ids or names (default: every KVM cluster)' },
      outOfScope: {
        type: 'string',
        enum: ['refuse', 'leave-behind'],
        description: 'KVM hosts of the zone outside scope still get the zone-wide flip: refuse the plan while there are any (default), or leave them behind on purpose (they must have the new bridge already)',
      },
      drifted: {
        type: 'string',
        enum: ['refuse', 'include'],
        description: "hosts in scope holding less than their intent now (a profile reloaded, a CloudStack change no run applied): refuse the plan, naming them (default), or include that change in their expand on purpose (warning drifted-hosts; each host's diff shows it)",
      },
      strategy: {
        type: 'object',
        properties: {
          canary: { type: 'integer' },
          maxUnavailable: { oneOf: [{ type: 'integer' }, { type: 'string', example: '25%' }] },
          abortAfter: { oneOf: [{ type: 'integer' }, { type: 'string', example: '1%' }] },
          maintenance: { type: 'string', enum: ['required', 'when-vms', 'never'] },
        },
      },
      publicVlans: {
        type: 'array',
        items: { type: 'integer', minimum: 1, maximum: 4094 },
        description: "the zone's Public VLAN ids (listVlanIpRanges), so the agent's br<pif>-<vlan> names are checked exactly instead of against VLAN 4094",
      },
      requestedBy: { type: 'string' },
    },
  },
};

const LAYOUT = { type: 'string', enum: ['old', 'both', 'new'] };
const COUNT = { type: 'integer', minimum: 0 };

const COUNTS = {
  type: 'object',
  required: ['hosts', 'expanded', 'contracted', 'failed', 'inFlight'],
  properties: {
    hosts: COUNT,
    expanded: { ...COUNT, description: 'on both bridges or already on the new one (contracted hosts included)' },
    contracted: { ...COUNT, description: 'on the new bridge only' },
    failed: { ...COUNT, description: 'failed and not verified since' },
    inFlight: { ...COUNT, description: 'with a step in flight' },
  },
};

const HOST = {
  type: 'object',
  required: ['hostId', 'hostName', 'clusterId', 'state', 'layout', 'detail'],
  properties: {
    hostId: { type: 'string' },
    hostName: { type: 'string' },
    clusterId: { type: 'string' },
    state: { type: 'string', enum: ['failed', 'in-flight', 'pending', 'expanded', 'contracted', 'restored'] },
    layout: { ...LAYOUT, description: 'the last layout a run verified on the host' },
    detail: { type: 'string', description: 'the step in flight (`contract → new (maintenance)`), or the failed step' },
    unverified: { ...LAYOUT, description: 'a layout attempted and not verified since' },
    lastRun: {
      type: 'object',
      description: "the newest step's run (GET /hosts/:id has its record)",
      properties: { runId: { type: 'string' }, status: { type: 'string', description: 'applied, no-op, rolled-back, failed, lost, timeout, or running' } },
    },
    failure: { type: 'string', description: 'why the last failed step failed (state failed only)' },
  },
};

const WAVE = {
  type: 'object',
  required: ['kind', 'index', 'counts', 'hosts'],
  properties: {
    kind: { type: 'string', enum: ['canary', 'wave'] },
    index: { type: 'integer', minimum: 1, description: 'position in the order the waves run, canaries first' },
    counts: COUNTS,
    hosts: { type: 'array', items: HOST, description: "the wave's hosts in the plan's order" },
  },
};

const PROGRESS = {
  type: 'object',
  required: ['hosts', 'expanded', 'contracted', 'failed', 'inFlight'],
  properties: {
    hosts: COUNT,
    expanded: COUNT,
    contracted: COUNT,
    failed: { ...COUNT, description: 'hosts that failed a forward step at least once (what abortAfter counts)' },
    inFlight: { type: 'array', items: { type: 'string' }, description: 'names of the hosts with a step in flight' },
    waves: { type: 'array', items: WAVE, description: 'every wave in the order they run (GET /relabels/:id only; absent when the plan could not be read)' },
  },
};

const ROLLOUT_FIELDS = {
  id: { type: 'string' },
  zoneId: { type: 'string' },
  zoneName: { type: 'string' },
  state: { type: 'string', enum: ['planned', 'running', 'paused', 'aborting', 'done', 'aborted'] },
  phase: { type: 'string' },
  reason: { type: 'string' },
  planHash: { type: 'string' },
  hosts: { type: 'object', additionalProperties: { type: 'object' }, description: "per host id: layout, the step in flight and every finished step with its run" },
  progress: PROGRESS,
  stale: { type: 'string', description: 'planned rollouts only: why the zone no longer holds what it was planned from (a label it changes is already the new one or changed otherwise), and the fix (abort it, plan again)' },
};

export const ROLLOUT_RESPONSE: ApiResponseOptions = {
  description: 'The rollout record with its plan, its CloudStack calls and its progress per wave and per host',
  schema: { type: 'object', properties: { ...ROLLOUT_FIELDS, plan: { type: 'object' }, calls: { type: 'array', items: { type: 'object' } } } },
};

export const ROLLOUT_LIST_RESPONSE: ApiResponseOptions = {
  description: 'Every rollout record with its overall progress counts (no waves: those need the plan)',
  schema: { type: 'array', items: { type: 'object', properties: ROLLOUT_FIELDS } },
};

const CALL = { type: 'object', properties: { api: { type: 'string' }, params: { type: 'object' }, async: { type: 'boolean' }, condition: { type: 'string', enum: ['always', 'if-running-vms'] } } };

const PHASE_DIFF = {
  type: 'object',
  required: ['phase', 'from', 'to', 'files', 'commands', 'agentProperties', 'restartAgent', 'cloudstackBefore', 'cloudstackAfter'],
  properties: {
    phase: { type: 'string', enum: ['expand', 'switch', 'contract', 'restore-both', 'switch-back', 'restore-old'] },
    from: LAYOUT,
    to: LAYOUT,
    files: {
      type: 'array',
      description: 'network files the step creates, updates or deletes, each with a unified diff (agent.properties is under agentProperties)',
      items: { type: 'object', properties: { path: { type: 'string' }, change: { type: 'string', enum: ['create', 'update', 'delete'] }, unified: { type: 'string' } } },
    },
    commands: { type: 'array', items: { type: 'string' }, description: 'the apply steps in order, shell-quoted' },
    agentProperties: { type: 'array', items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } }, description: '*.network.device entries pointed from one bridge to the other' },
    restartAgent: { type: 'boolean', description: 'cloudstack-agent restarts once the run is verified' },
    cloudstackBefore: { type: 'array', items: CALL },
    cloudstackAfter: { type: 'array', items: CALL },
  },
};

export const HOST_DIFF_RESPONSE: ApiResponseOptions = {
  description: "One host's files and commands per step of the rollout, rendered for its target",
  schema: {
    type: 'object',
    required: ['rolloutId', 'hostId', 'hostName', 'target', 'targetSource', 'basis', 'phases', 'rollback'],
    properties: {
      rolloutId: { type: 'string' },
      hostId: { type: 'string' },
      hostName: { type: 'string' },
      target: { type: 'string', description: 'the render target (OS and backend)' },
      targetSource: { type: 'string', enum: ['detected', 'requested'], description: "detected by the host's latest hostnet run, or the request's ?target=" },
      basis: { type: 'string', description: 'what the diffs assume' },
      phases: { type: 'array', items: PHASE_DIFF, description: 'the forward steps in the order the rollout runs them' },
      rollback: { type: 'array', items: PHASE_DIFF, description: 'the steps an abort runs on this host after it reached the new layout' },
      unapplied: {
        type: 'object',
        description: 'set when the host holds less than its intent now: the change its expand applies beyond the relabel, with the diff of the dry-run that found it',
        properties: { change: { type: 'string' }, files: { type: 'array', items: { type: 'object' } }, live: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
};
