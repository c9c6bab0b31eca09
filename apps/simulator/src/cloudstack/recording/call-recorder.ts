/** One API request as the simulator saw it. */
export interface RecordedCall {
  /** The `command` value as sent ('' when absent). */
  command: string;
  /** Parameters as sent, minus `signature`; `password` is masked. */
  params: Record<string, string>;
  method: string;
  /** HTTP status answered (0 when the request was left hanging). */
  status: number;
  at: Date;
  /** Whether a fault rule produced the answer. */
  faulted: boolean;
}

/** Commands that change the cloud; `mutations()` returns only these. */
export const MUTATING_COMMANDS: ReadonlySet<string> = new Set([
  'updateHost', 'updateTrafficType', 'addHost', 'prepareHostForMaintenance', 'cancelHostMaintenance', 'reconnectHost',
]);

/** Every call received, in arrival order, for tests to assert what a client did. */
export class CallRecorder {
  private readonly recorded: RecordedCall[] = [];

  record(call: RecordedCall): void {
    this.recorded.push(call);
  }

  /** All calls so far (a copy). */
  all(): RecordedCall[] {
    return [...this.recorded];
  }

  /** Calls whose command is one of MUTATING_COMMANDS (exact API name). */
  mutations(): RecordedCall[] {
    return this.recorded.filter((call) => MUTATING_COMMANDS.has(call.command));
  }

  /** Calls of one command (exact API name). */
  of(command: string): RecordedCall[] {
    return this.recorded.filter((call) => call.command === command);
  }

  count(command?: string): number {
    return command === undefined ? this.recorded.length : this.of(command).length;
  }

  clear(): void {
    this.recorded.length = 0;
  }
}
