/** What a matched fault does to a request. */
export type FaultAction =
  /** Answer with this status; `body: 'cloudstack'` writes CloudStack's error body, 'empty' writes none. */
  | { type: 'status'; status: number; body: 'cloudstack' | 'empty'; errorText?: string }
  /** Never answer (the socket stays open until the client gives up or the simulator stops). */
  | { type: 'hang' }
  /** Answer normally after this many milliseconds. */
  | { type: 'delay'; ms: number };

interface FaultRule {
  command?: string;
  remaining: number;
  action: FaultAction;
}

interface JobFaultRule {
  command?: string;
  remaining: number;
  errorcode: number;
  errortext: string;
}

interface MaintenanceFaultRule {
  host?: string;
  remaining: number;
  resourceState: MaintenanceFailureState;
  errortext: string;
}

/** Where a failed prepareHostForMaintenance leaves its host (ResourceManagerImpl: UnableToMigrate / UnableToMaintain). */
export type MaintenanceFailureState = 'ErrorInPrepareForMaintenance' | 'ErrorInMaintenance';

/** Options shared by fault helpers: which command (exact API name) to hit; any command when absent. */
export interface FaultTarget {
  command?: string;
}

/** Programmable failures for fault tests; rules apply to the next N matching requests, in order added. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private jobRules: JobFaultRule[] = [];
  private maintenanceRules: MaintenanceFaultRule[] = [];

  /** Next `times` calls → 530 with CloudStack's internal-error body (or `status`, e.g. 503 with no body). */
  failNext(times: number, options: FaultTarget & { status?: number; body?: 'cloudstack' | 'empty'; errorText?: string } = {}): this {
    const status = options.status ?? 530;
    return this.add(times, options.command, {
      type: 'status', status, body: options.body ?? (status === 503 ? 'empty' : 'cloudstack'), errorText: options.errorText,
    });
  }

  /** Next `times` calls → 429 with CloudStack's API-limit body. */
  throttleNext(times: number, options: FaultTarget = {}): this {
    return this.add(times, options.command, { type: 'status', status: 429, body: 'cloudstack' });
  }

  /** Next `times` calls are never answered. */
  hangNext(times: number, options: FaultTarget = {}): this {
    return this.add(times, options.command, { type: 'hang' });
  }

  /** Next `times` calls are answered normally after `ms` milliseconds. */
  slowNext(times: number, ms: number, options: FaultTarget = {}): this {
    return this.add(times, options.command, { type: 'delay', ms });
  }

  /** Next `times` async jobs (of `command`) end with jobstatus 2 and this error instead of their effect. */
  failNextJob(times: number, options: FaultTarget & { errorcode?: number; errortext?: string } = {}): this {
    this.jobRules.push({
      command: options.command, remaining: times, errorcode: options.errorcode ?? 530,
      errortext: options.errortext ?? 'Internal error executing command, please contact your system administrator',
    });
    return this;
  }

  /**
   * Next `times` prepareHostForMaintenance jobs (of `host`, id or name; any host when absent) end failed
   * with the host left in `resourceState` (default ErrorInMaintenance), as CloudStack does when
   * MaintainCommand or a migration fails. Unlike failNextJob the host's state changes like CloudStack's.
   */
  failHostMaintenance(times: number, options: { host?: string; resourceState?: MaintenanceFailureState; errortext?: string } = {}): this {
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault times must be a positive integer, got ${times}`);
    const resourceState = options.resourceState ?? 'ErrorInMaintenance';
    this.maintenanceRules.push({
      host: options.host, remaining: times, resourceState,
      errortext: options.errortext ?? (resourceState === 'ErrorInMaintenance'
        ? 'Failed to prepare host for maintenance: MaintainCommand failed on the agent'
        : 'Unable to migrate the VMs away from the host'),
    });
    return this;
  }

  /** Consumes the first maintenance failure for this host (matched by id or name), if any. */
  takeMaintenanceFailure(hostId: string, hostName: string): { resourceState: MaintenanceFailureState; errortext: string } | undefined {
    const rule = this.maintenanceRules.find((r) => r.remaining > 0 && (r.host === undefined || r.host === hostId || r.host === hostName));
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.maintenanceRules = this.maintenanceRules.filter((r) => r.remaining > 0);
    return { resourceState: rule.resourceState, errortext: rule.errortext };
  }

  /** Removes every pending rule. */
  clear(): void {
    this.rules = [];
    this.jobRules = [];
    this.maintenanceRules = [];
  }

  /** Consumes and returns the first rule matching `command`, if any. */
  take(command: string | undefined): FaultAction | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && (r.command === undefined || r.command === command));
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule.action;
  }

  /** Consumes and returns the first job-failure rule matching `command`, if any. */
  takeJobFailure(command: string): { errorcode: number; errortext: string } | undefined {
    const rule = this.jobRules.find((r) => r.remaining > 0 && (r.command === undefined || r.command === command));
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.jobRules = this.jobRules.filter((r) => r.remaining > 0);
    return { errorcode: rule.errorcode, errortext: rule.errortext };
  }

  private add(times: number, command: string | undefined, action: FaultAction): this {
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault times must be a positive integer, got ${times}`);
    this.rules.push({ command, remaining: times, action });
    return this;
  }
}
