import type { HostModel } from '@hostnet/simulator/kvm-host';
/** What `npm run bench -- …` was asked to do. */
export interface BenchOptions {
  hosts: number;
  concurrency: number;
  applyLatencyMs: number;
  /** Run the hostnet-vs-Ansible comparison on the lab. */
  lab: boolean;
  /** Lab hosts for --lab. */
  labHosts: number;
  renderOnly: boolean;
  /** Redis for the pipeline bench; default a private redis-server. */
  redisUrl?: string;
  /** Write the figures as JSON here. */
  json?: string;
  /** Upper bound for each rollout, ms. */
  timeoutMs: number;
  /** After the worker is done, how long to wait for api to record every host's final phase, ms. */
  enableWaitMs: number;
  /** Hosts of the zone `hostnet render --zone Z --all` renders in-process (0 skips it). */
  renderZoneHosts: number;
  /** Plan and run a relabel on `hosts` simulated hosts instead of the pipeline and render-zone benches. */
  relabel: boolean;
  /** Clusters the relabel zone's hosts are spread over. */
  clusters: number;
  /** The relabel's maxUnavailable per cluster: a count or `<n>%` of the cluster. */
  maxUnavailable: number | string;
  /**
   * Worker process counts of the scale-out section (`--workers 1,2,4`): each count runs the change and
   * no-op rollouts on a fresh zone, every worker with `concurrency`. `[1]` (the default) skips the section.
   */
  workers: number[];
  /** Run only the scale-out section (skip the render-zone and pipeline benches). */
  scaleOutOnly: boolean;
  /**
   * How the simulated hosts run the worker's scripts: `lean` (default) answers them in the zone process
   * (apps/simulator/src/kvm-host/lean, held to the scripts by lean-host-contract.spec.ts), so the
   * machine's cores go to hostnet; `scripts` runs them in real shells, as the e2e tests do.
   */
  hostModel: HostModel;
  /**
   * Worker threads of the zone process the simulated hosts are spread over (default 4): in one thread a
   * thousand hosts queue behind each other on one event loop, a wait no fleet of real hosts has.
   */
  hostThreads: number;
}

const USAGE = `usage: npm run bench -- [--hosts N] [--concurrency C] [--apply-latency-ms L] [--render-only]
                      [--render-zone-hosts N] [--host-model lean|scripts] [--host-threads N] [--lab] [--lab-hosts N] [--redis-url URL] [--timeout-s S] [--enable-wait-s S] [--json FILE]
                      [--relabel [--clusters N] [--max-unavailable N|N%]] [--workers 1,2,4 [--scale-out-only]]`;

const INT_FLAGS: Record<string, { key: 'hosts' | 'concurrency' | 'applyLatencyMs' | 'labHosts' | 'timeoutMs' | 'enableWaitMs' | 'renderZoneHosts' | 'clusters' | 'hostThreads'; min: number; max: number; scale?: number }> = {
  '--hosts': { key: 'hosts', min: 1, max: 5000 },
  '--concurrency': { key: 'concurrency', min: 1, max: 1000 },
  '--apply-latency-ms': { key: 'applyLatencyMs', min: 0, max: 600_000 },
  '--lab-hosts': { key: 'labHosts', min: 1, max: 60 },
  '--render-zone-hosts': { key: 'renderZoneHosts', min: 0, max: 5000 },
  '--timeout-s': { key: 'timeoutMs', min: 10, max: 7200, scale: 1000 },
  '--enable-wait-s': { key: 'enableWaitMs', min: 0, max: 7200, scale: 1000 },
  '--clusters': { key: 'clusters', min: 1, max: 500 },
  '--host-threads': { key: 'hostThreads', min: 1, max: 16 },
};

/** Parses argv (without node and script); throws an error naming the flag and the fix. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { hosts: 500, concurrency: 50, applyLatencyMs: 200, lab: false, labHosts: 12, renderOnly: false, timeoutMs: 2_400_000, enableWaitMs: 120_000, renderZoneHosts: 1203, relabel: false, clusters: 10, maxUnavailable: '10%', workers: [1], scaleOutOnly: false, hostModel: 'lean', hostThreads: 4 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value\n${USAGE}`);
      return v;
    };
    const int = INT_FLAGS[name];
    if (int) {
      const raw = value();
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < int.min || n > int.max) throw new Error(`${name} must be a whole number from ${int.min} to ${int.max}, got "${raw}"\n${USAGE}`);
      options[int.key] = n * (int.scale ?? 1);
    } else if (name === '--lab') options.lab = true;
    else if (name === '--render-only') options.renderOnly = true;
    else if (name === '--relabel') options.relabel = true;
    else if (name === '--workers') options.workers = workerCounts(value());
    else if (name === '--scale-out-only') options.scaleOutOnly = true;
    else if (name === '--max-unavailable') options.maxUnavailable = countOrPercent(value());
    else if (name === '--json') options.json = value();
    else if (name === '--host-model') {
      const model = value();
      if (model !== 'lean' && model !== 'scripts') throw new Error(`--host-model must be lean or scripts, got "${model}"\n${USAGE}`);
      options.hostModel = model;
    }
    else if (name === '--redis-url') {
      const url = value();
      if (!/^redis:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+(\/\d+)?$/.test(url)) throw new Error(`--redis-url must be a loopback redis:// URL, got "${url}"`);
      options.redisUrl = url;
    } else if (name === '--help' || name === '-h') throw new Error(USAGE);
    else throw new Error(`unknown flag "${flag}"\n${USAGE}`);
  }
  if (options.relabel && options.clusters > options.hosts) throw new Error(`--clusters (${options.clusters}) must not exceed --hosts (${options.hosts})`);
  if (options.scaleOutOnly && options.workers.length < 2) throw new Error(`--scale-out-only needs --workers with two or more counts, like --workers 1,2,4\n${USAGE}`);
  return options;
}

/** `--workers`: distinct counts from 1 to 16, ascending, starting at 1 (the run every ratio is to). */
function workerCounts(raw: string): number[] {
  const counts = raw.split(',').map((part) => (/^\d+$/.test(part) ? Number(part) : NaN));
  const ok = counts.every((n, i) => n >= 1 && n <= 16 && (i === 0 || n > counts[i - 1]!)) && counts[0] === 1;
  if (!ok) throw new Error(`--workers must be ascending worker counts from 1 to 16 starting at 1 (the baseline of every ratio), like 1,2,4; got "${raw}"\n${USAGE}`);
  return counts;
}

/** `--max-unavailable`: a count from 1, or a percentage of each cluster from 1% to 100%. */
function countOrPercent(raw: string): number | string {
  const m = /^(\d+)(%?)$/.exec(raw);
  const n = Number(m?.[1]);
  if (!m || n < 1 || (m[2] === '%' && n > 100)) throw new Error(`--max-unavailable must be a count like 5 or a percentage like 10%, got "${raw}"\n${USAGE}`);
  return m[2] ? raw : n;
}
