import { Inject, Injectable, Optional } from '@nestjs/common';
import { expectationFromIntent, HostWorkflowService, ovsDatabaseDown, type AgentRestartResult, type AgentRestartWhen, type ApplyOutcome } from '@hostnet/apply';
import { previousExpectedState } from '@hostnet/apply/parsers/previous-state.parser';
import type { ApplyOutcomeSummary, ConfigureHostJobData } from '@hostnet/contracts';
import { agentDeviceRenames } from '@hostnet/intent';
import { HOSTNET_CONFIG, HostRunSpecRepository } from '@hostnet/platform';
import { AGENT_PROPERTIES_PATH, renderHost, selectTarget, withAgentProperties, type AgentDevice } from '@hostnet/render';
import { SshConnector, SshEndpoints, WarmSessions } from '@hostnet/ssh';
import type { WorkerConfig } from '../worker-config';
import { connectionTo, hostEndpoint } from './host-connection';
import { hostOsFacts } from './os-facts.mapper';
import { agentRestartForMap, owesAgentRestart, runAgentRestart, skippedAgentRestart, wantsAgentRestart, withAgentRestart, withPlannedAgentRestart } from './agent-restart.step';
import { agentDevicesAfterRun, missingAgentDevices, missingAgentDevicesText } from './agent-devices';
import { agentBridgeMapChanges } from './agent-bridge-map';
import { RenderMemo } from './render-memo';
import { runIdOf } from './run-id';
import { VerifiedSpecs } from './verified-specs';

/**
 * One host job, start to end: the spec api derived and stored for the job (by its hash), then the
 * on-host workflow over SSH. Reads no CloudStack; holds no BullMQ code so it can be driven by tests and
 * the bench alike.
 */
@Injectable()
export class HostRunService {
  private readonly specs: VerifiedSpecs;
  private readonly rendered = new RenderMemo();

  constructor(
    @Inject(HOSTNET_CONFIG) private readonly config: WorkerConfig,
    repository: HostRunSpecRepository,
    private readonly endpoints: SshEndpoints,
    private readonly ssh: SshConnector,
    @Optional() private readonly warm?: WarmSessions,
  ) {
    this.specs = new VerifiedSpecs(repository);
  }

  /**
   * `lastAttempt`: no retry follows this one (a failed agent restart is then reported, not thrown).
   * `oweAgentRestart`: durably records on the job that it owes an agent restart (agentRestartForMap); awaited
   * before the run applies anything, so an attempt that dies after the confirm leaves the restart to the next.
   */
  async run(
    job: ConfigureHostJobData,
    onProgress: (stage: string) => void = () => undefined,
    lastAttempt = true,
    oweAgentRestart: () => Promise<void> = async () => undefined,
  ): Promise<ApplyOutcomeSummary> {
    // Whether CloudStack changed since api derived this spec is api's question, asked at result time.
    const { spec, paths, expectedLive } = await this.specs.forJob(job);
    const { host, intent, specHash } = spec;
    const relabel = job.relabel;
    const endpoint = hostEndpoint(this.config, this.endpoints, host);
    const connect = connectionTo(this.config, this.ssh, endpoint);
    let mapChanges: string[] = [];
    let owed = job.agentRestartOwed === true;
    let missingDevices: AgentDevice[] = [];
    const restartWhen = (outcome: ApplyOutcome): AgentRestartWhen | undefined =>
      wantsAgentRestart(job, outcome) ? 'always' : agentRestartForMap(job, outcome, mapChanges, owed);
    let ridden: AgentRestartResult | undefined;
    const workflow = new HostWorkflowService(connect, {
      rollbackSeconds: this.config.HOSTNET_ROLLBACK_SECONDS,
      // Time for the host's restore (files back + re-activation) after its deadline: scaled with the
      // timer so short test timers do not wait the full production grace.
      rollbackGraceMs: Math.min(30_000, Math.max(5_000, this.config.HOSTNET_ROLLBACK_SECONDS * 1000)),
      // Every run reads agent.properties: a run must not delete what it names, nor restart an agent that would not start.
      extraFactPaths: [...paths.filter((p) => p !== AGENT_PROPERTIES_PATH), AGENT_PROPERTIES_PATH],
      onProgress,
    }, undefined, this.warm?.forEndpoint(endpoint));
    const outcome = await workflow.run({
      runId: runIdOf(job),
      specHash,
      dryRun: job.mode === 'dry-run',
      force: job.force,
      expected: expectationFromIntent(intent, expectedLive),
      // Recorded before the change, not after the confirm: a worker that dies in between (or an attempt that
      // adopts the run it left armed) would otherwise see the new bridges and never restart the agent.
      beforeApply: async () => {
        if (owed || !owesAgentRestart(job, mapChanges)) return;
        await oweAgentRestart();
        owed = true;
      },
      // The restart rides the connection the run was confirmed on: a change run then opens two, not three.
      afterRun: async (outcome, session) => {
        const when = restartWhen(outcome);
        if (when && missingDevices.length === 0) ridden = await runAgentRestart(connect, job, when, session);
      },
      render: (facts) => {
        mapChanges = agentBridgeMapChanges(facts.live, expectedLive);
        const renames = relabel ? agentDeviceRenames(relabel) : undefined;
        const agentDevices = agentDevicesAfterRun(facts.files.get(AGENT_PROPERTIES_PATH), renames);
        missingDevices = missingAgentDevices(agentDevices, facts.live, expectedLive);
        const target = selectTarget(hostOsFacts(facts), intent.backend);
        const ovsDatapathType = this.config.HOSTNET_OVS_DATAPATH;
        const openvswitchDown = ovsDatabaseDown(facts);
        const config = this.rendered.get({ hostId: host.id, specHash, target, ovsDatapathType, facts, agentDevices, openvswitchDown }, () =>
          renderHost(intent, target, { ovsDatapathType, live: facts.live, previous: previousExpectedState(facts), previousFiles: facts.files, agentDevices, openvswitchDown }),
        );
        // A relabel step moves agent.properties' *.network.device with the layout, in the same transaction.
        return renames ? withAgentProperties(config, facts.files.get(AGENT_PROPERTIES_PATH), renames) : config;
      },
    });
    // A device agent.properties names that the host lacks after the run: a restarted agent would not start
    // again, so no restart (reported as the restart step); otherwise said with the run, which did not cause it.
    const skipped = missingDevices.length > 0 ? skippedAgentRestart(missingAgentDevicesText(missingDevices, true)) : undefined;
    const when = restartWhen(outcome);
    const restart = when ? (skipped ?? ridden ?? (await runAgentRestart(connect, job, when))) : undefined;
    if (wantsAgentRestart(job, outcome)) return withAgentRestart(summarize(outcome, specHash), restart, lastAttempt);
    if (when && skipped) return withAgentRestart(summarize(outcome, specHash), skipped, true);
    // a dry-run plans the restart its apply would run, and none it would skip
    const summary = withMissingAgentDevices(summarize(outcome, specHash), missingDevices);
    // a failed restart is retried while attempts remain: the retry's run is a no-op that owes it (agentRestartOwed)
    return withAgentRestart(skipped ? summary : withPlannedAgentRestart(summary, job, mapChanges), restart, lastAttempt);
  }
}

/**
 * A pre-existing gap between agent.properties and the host, said with a run that ended without a refusal of its
 * own; never a failure: the run did not cause it and cannot fix it (agent.properties is the operator's outside
 * relabels), CloudStack's CheckNetwork checks the zone's labels and passes, and the running agent keeps working.
 */
function withMissingAgentDevices(summary: ApplyOutcomeSummary, missing: readonly AgentDevice[]): ApplyOutcomeSummary {
  if (missing.length === 0 || summary.status === 'failed' || summary.status === 'rolled-back') return summary;
  const note = missingAgentDevicesText(missing, false);
  return { ...summary, reason: summary.reason ? `${summary.reason}; ${note}` : note };
}

/** What travels back through Redis: no file contents, only paths, changes and figures. */
function summarize(outcome: ApplyOutcome, specHash: string): ApplyOutcomeSummary {
  return {
    status: outcome.status,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(outcome.recovered ? { recovered: outcome.recovered } : {}),
    ...(outcome.target ? { target: outcome.target } : {}),
    specHash,
    diff: {
      files: outcome.diff.files.map(({ path, change, unified, reason }) => ({ path, change, ...(unified ? { unified } : {}), ...(reason ? { reason } : {}) })),
      live: outcome.diff.live,
    },
    steps: outcome.steps,
    ...(outcome.planned ? { planned: outcome.planned } : {}),
    verification: outcome.verification,
    ...(outcome.rollback ? { rollback: outcome.rollback } : {}),
    roundTrips: { ...outcome.roundTrips },
    durationsMs: { ...outcome.durationsMs },
  };
}
