import { KVM_HOST_PERSONAS, type KvmHostPersona } from '@hostnet/simulator/kvm-host';
import type { MatrixOptions } from './fault-matrix';

/** What `npm run faults` runs: the simulated matrix, the lab matrix (real lab hosts) or both. */
export type FaultOptions = Omit<MatrixOptions, 'log'> & { json?: string; lab: boolean; simulated: boolean; labHosts: number };

/**
 * `npm run faults -- [--trials N] [--faults a,b] [--persona P] [--rollback-seconds S] [--concurrency C]
 * [--steps every|ends] [--json FILE] [--lab | --lab-only] [--lab-hosts N]`
 */
export function parseFaultArgs(argv: string[]): FaultOptions {
  const options: FaultOptions = {
    lab: false,
    simulated: true,
    labHosts: 8,
    trials: 5,
    persona: 'rocky9',
    rollbackSeconds: 5,
    boundMs: 150_000,
    hostConcurrency: 16,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    const int = (min: number) => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}, got "${v}"`);
      return n;
    };
    if (flag === '--trials') options.trials = int(1);
    else if (flag === '--faults') options.faults = value().split(',').filter(Boolean);
    else if (flag === '--persona') options.persona = persona(value());
    else if (flag === '--rollback-seconds') options.rollbackSeconds = int(2);
    else if (flag === '--concurrency') options.hostConcurrency = int(1);
    else if (flag === '--json') options.json = value();
    else if (flag === '--steps') options.stepSample = stepSample(value());
    else if (flag === '--lab') options.lab = true;
    else if (flag === '--lab-only') Object.assign(options, { lab: true, simulated: false });
    else if (flag === '--lab-hosts') options.labHosts = int(2);
    else throw new Error(`unknown option ${flag}; options: --trials N, --faults a,b, --persona P, --rollback-seconds S, --concurrency C, --steps every|ends, --json FILE, --lab, --lab-only, --lab-hosts N`);
  }
  return options;
}

function persona(value: string): KvmHostPersona {
  if (!(KVM_HOST_PERSONAS as readonly string[]).includes(value)) throw new Error(`--persona must be one of ${KVM_HOST_PERSONAS.join(', ')}, got "${value}"`);
  return value as KvmHostPersona;
}

function stepSample(value: string): 'every' | 'ends' {
  if (value !== 'every' && value !== 'ends') throw new Error(`--steps must be every or ends, got "${value}"`);
  return value;
}
