import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { commandCatalog } from './commands/command-catalog';
import { responseNameOf, type CommandDefinition, type CommandOutcome } from './commands/command-definition';
import { ParamReader } from './commands/param-reader';
import { FaultInjector, type FaultAction } from './faults/fault-injector';
import { AsyncJobRegistry } from './jobs/async-job.registry';
import { ApiError, CsErrorCode } from './protocol/api-error';
import { ApiRequest } from './protocol/api-request';
import { readFormBody } from './protocol/request-body.reader';
import { RequestAuthenticator } from './protocol/request-authenticator';
import { writeBody, writeError } from './protocol/response-writer';
import { CallRecorder } from './recording/call-recorder';
import type { HostNetworkProbe } from './state/host-network-probe';
import type { VmMigrationHook } from './state/vm-migration-hook';
import { SimulatorState } from './state/simulator-state';
import type { SimulatorTopology } from './topology/simulator-topology';

/** Options for CloudStackSimulator.start. */
export interface CloudStackSimulatorOptions {
  topology: SimulatorTopology;
  apiKey: string;
  secretKey: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** How long async jobs stay pending (jobstatus 0); default 0. */
  asyncJobDelayMs?: number;
  /** Checks a host's bridges on addHost / reconnectHost; without it every host passes. */
  hostNetworkProbe?: HostNetworkProbe;
  /** Moves a host's VMs during prepareHostForMaintenance (a lab's VM namespaces); without it only the counts move. */
  migrateVms?: VmMigrationHook;
  /** One line per request (method, command, status, duration); never parameters or keys. */
  log?: (line: string) => void;
}

const API_PATH = '/client/api';
const INTERNAL_ERROR_TEXT = 'Internal error executing command, please contact your system administrator';
const THROTTLED_TEXT = 'The given user has reached his/her account api limit, please retry after 1000 ms.';

/** An HTTP server speaking CloudStack's API (the subset hostnet uses) at `/client/api`. */
export class CloudStackSimulator {
  /** Every request received; `calls.mutations()` for the mutating ones. */
  readonly calls = new CallRecorder();
  /** Programmable failures: 5xx, 429, hangs, slow answers, failing async jobs. */
  readonly faults = new FaultInjector();
  readonly state: SimulatorState;
  private readonly jobs: AsyncJobRegistry;
  private readonly catalog = commandCatalog();
  private readonly authenticator: RequestAuthenticator;
  private readonly pendingDelays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private server?: Server;
  private baseUrl = '';

  private constructor(private readonly options: CloudStackSimulatorOptions) {
    this.state = new SimulatorState(options.topology);
    this.jobs = new AsyncJobRegistry(options.asyncJobDelayMs ?? 0, (command) => this.faults.takeJobFailure(command));
    this.authenticator = new RequestAuthenticator(options.apiKey, options.secretKey);
  }

  /** Starts listening; resolves once the port is bound. */
  static async start(options: CloudStackSimulatorOptions): Promise<CloudStackSimulator> {
    const simulator = new CloudStackSimulator(options);
    await simulator.listen();
    return simulator;
  }

  /** The API endpoint, e.g. http://127.0.0.1:41234/client/api. */
  get url(): string {
    return `${this.baseUrl}${API_PATH}`;
  }

  /** Stops the server, dropping hung requests and pending job timers. */
  async stop(): Promise<void> {
    this.jobs.dispose();
    for (const pending of this.pendingDelays) {
      clearTimeout(pending.timer);
      pending.resolve();
    }
    this.pendingDelays.clear();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const [path = '', query = ''] = (req.url ?? '').split(/\?(.*)/s);
    if (path !== API_PATH || (req.method !== 'GET' && req.method !== 'POST')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Not Found');
      return;
    }
    let request: ApiRequest;
    try {
      request = ApiRequest.fromRaw(req.method, query, await readFormBody(req));
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Bad Request');
      return;
    }
    const definition = this.catalog.get(request.command ?? '');
    const responseName = definition ? responseNameOf(definition.name) : 'errorresponse';
    const fault = this.faults.take(request.command);
    let status: number;
    if (fault?.type === 'hang') {
      status = 0;
    } else {
      if (fault?.type === 'delay') await this.sleep(fault.ms);
      status = fault?.type === 'status'
        ? this.writeFault(res, fault, responseName, request)
        : await this.dispatch(request, definition, responseName, res);
    }
    this.calls.record({
      command: request.command ?? '', params: request.recordableParams(), method: req.method, status,
      at: new Date(started), faulted: fault !== undefined,
    });
    this.options.log?.(`${req.method} ${request.command ?? '-'} ${status || 'hung'} ${Date.now() - started}ms`);
  }

  private async dispatch(
    request: ApiRequest, definition: CommandDefinition | undefined, responseName: string, res: ServerResponse,
  ): Promise<number> {
    const version = this.state.cloudstackVersion;
    if (!definition || !this.authenticator.isAuthentic(request)) {
      writeError(res, ApiError.unauthorized(), responseName, request.format, version);
      return 401;
    }
    try {
      const outcome = await definition.handle({
        request, params: new ParamReader(request, definition.name), state: this.state, jobs: this.jobs,
        hostNetworkProbe: this.options.hostNetworkProbe, migrateVms: this.options.migrateVms, faults: this.faults,
      });
      writeBody(res, 200, responseName, serializeOutcome(outcome), request.format, version);
      return 200;
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(530, INTERNAL_ERROR_TEXT, CsErrorCode.ServerApi);
      if (!(error instanceof ApiError)) this.options.log?.(`internal error in ${definition.name}: ${(error as Error).message}`);
      writeError(res, apiError, responseName, request.format, version);
      return apiError.errorCode;
    }
  }

  private writeFault(res: ServerResponse, fault: Extract<FaultAction, { type: 'status' }>, responseName: string, request: ApiRequest): number {
    if (fault.body === 'empty') {
      res.writeHead(fault.status, { 'Content-Length': 0 }).end();
      return fault.status;
    }
    const text = fault.errorText ?? (fault.status === 429 ? THROTTLED_TEXT : INTERNAL_ERROR_TEXT);
    writeError(res, new ApiError(fault.status, text, CsErrorCode.ServerApi), responseName, request.format, this.state.cloudstackVersion);
    return fault.status;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const pending = { timer: setTimeout(() => { this.pendingDelays.delete(pending); resolve(); }, ms), resolve };
      this.pendingDelays.add(pending);
    });
  }
}

/** ApiResponseSerializer's envelope rules: empty list → {}, page past the end → {count}. */
function serializeOutcome(outcome: CommandOutcome): Record<string, unknown> {
  switch (outcome.kind) {
    case 'list':
      return {
        ...(outcome.count > 0 ? { count: outcome.count } : {}),
        ...(outcome.count > 0 && outcome.items.length > 0 ? { [outcome.objectName]: outcome.items } : {}),
      };
    case 'object':
      return { [outcome.objectName]: outcome.item };
    case 'fields':
      return outcome.fields;
  }
}
