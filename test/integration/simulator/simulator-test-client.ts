import { signParams } from '../../../libs/cloudstack/src/signing/request-signer';
import { CloudStackSimulator } from '../../../apps/simulator/src/cloudstack';
import { loadSimulatorTopology, parseSimulatorTopology } from '../../../apps/simulator/src/cloudstack';
import { DEFAULT_TOPOLOGY_PATH } from '../../../apps/simulator/src/cloudstack';
import type { CloudStackSimulatorOptions, SimulatorTopologyInput } from '../../../apps/simulator/src/cloudstack';

export const API_KEY = 'test-api-key_0123456789';
export const SECRET_KEY = 'test-secret-key_s3cr3t/+=';

/** The answer to a raw call. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** Starts a simulator on the default (or given) topology with the test keys. */
export function startSimulator(
  overrides: Partial<CloudStackSimulatorOptions> & { seed?: SimulatorTopologyInput } = {},
): Promise<CloudStackSimulator> {
  const { seed, ...rest } = overrides;
  const topology = seed ? parseSimulatorTopology(seed, 'test seed') : loadSimulatorTopology(DEFAULT_TOPOLOGY_PATH);
  return CloudStackSimulator.start({ topology, apiKey: API_KEY, secretKey: SECRET_KEY, ...rest });
}

/** Percent-encodes for the wire: everything but unreserved characters, so `+` travels as %2B. */
function wire(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export interface CallOptions {
  method?: 'GET' | 'POST';
  /** Adds `response=json` unless false (then the server's XML default applies). */
  json?: boolean;
  secretKey?: string;
  apiKey?: string;
  /** Replace the computed signature. */
  signature?: string;
  /** Parameters added after signing (so they are not covered by the signature). */
  unsigned?: Record<string, string>;
  timeoutMs?: number;
}

/** Sends a signed API call the way a correct client does (names kept as given). */
export async function call(sim: CloudStackSimulator, params: Record<string, string>, options: CallOptions = {}): Promise<RawAnswer> {
  const all: Record<string, string> = { ...params };
  if (options.json !== false) all.response = 'json';
  all.apikey = options.apiKey ?? API_KEY;
  const signature = options.signature ?? signParams(all, options.secretKey ?? SECRET_KEY);
  const encoded = Object.entries({ ...all, ...options.unsigned, signature }).map(([k, v]) => `${wire(k)}=${wire(v)}`).join('&');
  const method = options.method ?? 'GET';
  const response = await fetch(method === 'GET' ? `${sim.url}?${encoded}` : sim.url, {
    method,
    ...(method === 'POST' ? { body: encoded, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } } : {}),
    signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Polls queryAsyncJobResult until jobstatus is not 0 (bounded). */
export async function waitForJob(sim: CloudStackSimulator, jobid: string, deadlineMs = 3000): Promise<any> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const answer = await call(sim, { command: 'queryAsyncJobResult', jobid });
    const job = answer.json.queryasyncjobresultresponse;
    if (job.jobstatus !== 0) return job;
    if (Date.now() > until) throw new Error(`job ${jobid} still pending after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the simulator's own check has moved host `name` out of PrepareForMaintenance; its resource state then. */
export async function settledMaintenance(sim: CloudStackSimulator, name: string, deadlineMs = 3000): Promise<string> {
  const deadline = Date.now() + deadlineMs;
  const state = () => sim.state.hosts.find((h) => h.name === name)?.resourceState ?? 'gone';
  while (state() === 'PrepareForMaintenance' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return state();
}
