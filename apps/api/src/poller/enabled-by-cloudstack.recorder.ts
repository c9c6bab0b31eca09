import { Injectable } from '@nestjs/common';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { NOT_ENABLED } from '../jobs/not-enabled';
import { HostLock } from '../runs/host-lock';
import { HostRunRegistry } from '../runs/host-run.registry';

/**
 * A verified run hostnet did not enable (the host was in an operator's maintenance) stays `verified` with
 * "fix: end the maintenance" until CloudStack shows the host Up and Enabled: then the poller records it
 * `enabled`, saying CloudStack did it. A record only: no job, no CloudStack call (hostnet enables a host
 * only after a verified run of its current spec, and here it enables nothing). Under the host's lock and only
 * when no run is in flight and the latest record is still the one the pass decided on, so a run or result
 * that came meanwhile is never overwritten.
 */
@Injectable()
export class EnabledByCloudStackRecorder {
  constructor(
    private readonly statuses: HostStatusRepository,
    private readonly lock: HostLock,
    private readonly runs: HostRunRegistry,
  ) {}

  /** `decidedOn`: the `at` of the record the decision read. True when it recorded the host enabled. */
  async record(hostId: string, decidedOn: string, reason: string): Promise<boolean> {
    return this.lock.withLock(hostId, async () => {
      if (await this.runs.current(hostId)) return false;
      const latest = await this.statuses.latest(hostId);
      if (!latest || latest.at !== decidedOn || !latest.reason?.startsWith(NOT_ENABLED)) return false;
      if (latest.phase !== 'verified' && latest.phase !== 'no-op') return false;
      const { cloudstackCalls: _calls, ...rest } = latest;
      await this.statuses.record({ ...rest, phase: 'enabled', reason, trigger: { kind: 'poller', detail: 'CloudStack shows the host Enabled' }, at: new Date().toISOString() });
      return true;
    });
  }
}
