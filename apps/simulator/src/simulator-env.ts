/** What the standalone simulator (main.ts) reads from its environment. */
export interface SimulatorEnv {
  port: number;
  host: string;
  apiKey: string;
  secretKey: string;
  hosts: number;
}

/** Thrown with every bad variable named, each with its fix. */
export class SimulatorEnvError extends Error {
  override readonly name = 'SimulatorEnvError';
}

export function readSimulatorEnv(env: NodeJS.ProcessEnv): SimulatorEnv {
  const problems: string[] = [];
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    problems.push(`${name} is ${JSON.stringify(text)}; fix: a whole number from ${min} to ${max}, e.g. ${fallback}`);
    return fallback;
  };
  // Never shown: only whether they are set.
  const key = (name: string, what: string): string => {
    const value = env[name] ?? '';
    if (value === '') problems.push(`${name} is not set; fix: set it to the ${what} hostnet's CLOUDSTACK_${name.slice('SIMULATOR_'.length)} holds (any random string both sides share)`);
    return value;
  };
  const parsed = {
    port: whole('SIMULATOR_PORT', 8080, 1, 65535),
    host: env['SIMULATOR_HOST'] || '127.0.0.1',
    apiKey: key('SIMULATOR_API_KEY', 'API key'),
    secretKey: key('SIMULATOR_SECRET_KEY', 'secret key'),
    hosts: whole('SIMULATOR_HOSTS', 3, 1, 80),
  };
  if (problems.length > 0) throw new SimulatorEnvError(`the CloudStack simulator cannot start: ${problems.join('; ')}`);
  return parsed;
}
