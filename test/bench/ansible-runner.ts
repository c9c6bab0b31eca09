import { spawn, spawnSync } from 'node:child_process';

/** Makes sure `ansible-playbook` is installed (Debian's `ansible`), installing it with apt-get when absent. */
export function ensureAnsible(log: (line: string) => void): string {
  const found = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  log('ansible-playbook not found: installing Debian package "ansible" (apt-get update && apt-get install -y --no-install-recommends ansible)…');
  const run = (argv: string[]) => spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 });
  run(['apt-get', 'update']);
  const install = run(['apt-get', 'install', '-y', '--no-install-recommends', 'ansible']);
  const path = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' }).stdout.trim();
  if (!path) throw new Error(`could not install ansible (${install.stderr?.slice(-500) ?? ''}); install it by hand: apt-get update && apt-get install -y ansible`);
  return path;
}

/** Where Debian's ansible-mitogen keeps its strategy plugins. */
export const DEBIAN_MITOGEN_STRATEGY_DIR = '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy';

/**
 * Makes sure Debian's `ansible-mitogen` is installed (apt-get, as ensureAnsible does). Returns its strategy
 * plugin dir, or why it is not there (the bench then runs plain `free` and says so).
 */
export function ensureMitogen(log: (line: string) => void): { strategyDir?: string; problem?: string } {
  const present = () => spawnSync('dpkg-query', ['-W', '-f', '${Status}', 'ansible-mitogen'], { encoding: 'utf8' }).stdout.includes('install ok installed');
  if (!present()) {
    log('ansible-mitogen not installed: installing Debian package "ansible-mitogen" (apt-get install -y --no-install-recommends ansible-mitogen)…');
    const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'ansible-mitogen'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 600_000,
    });
    if (!present()) return { problem: `apt-get install ansible-mitogen failed: ${install.stderr?.trim().slice(-300) ?? ''}` };
  }
  const version = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${Version} ', 'ansible-mitogen', 'ansible-core'], { encoding: 'utf8' }).stdout.trim();
  log(`ansible-mitogen present (${version})`);
  return { strategyDir: DEBIAN_MITOGEN_STRATEGY_DIR };
}

export interface PlaybookRun {
  wallMs: number;
  code: number;
  /** The PLAY RECAP lines. */
  recap: string;
  output: string;
}

/** Runs ansible-playbook inside the lab namespace (the only place lab addresses are reachable), timed. */
export function runPlaybook(input: { namespace: string; playbook: string; inventory: string; env: Record<string, string>; timeoutMs: number }): Promise<PlaybookRun> {
  return runAnsible({ ...input, argv: ['ansible-playbook', '-i', input.inventory, input.playbook] });
}

/** Runs an Ansible command (ansible, ansible-playbook) inside the lab namespace, timed. */
export function runAnsible(input: { namespace: string; argv: string[]; env: Record<string, string>; timeoutMs: number }): Promise<PlaybookRun> {
  const argv = ['netns', 'exec', input.namespace, ...input.argv];
  return new Promise((resolve, reject) => {
    const started = Date.now();
    // Own process group, so a timeout kills ansible's forks too; 'exit' (not 'close'): SSH control masters
    // that ansible leaves behind keep the pipes open (lab-down ends them with the lab's namespaces).
    const child = spawn('ip', argv, { env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', ...input.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), input.timeoutMs);
    child.once('error', (e) => (clearTimeout(timer), reject(e)));
    child.once('exit', (code) => {
      const wallMs = Date.now() - started;
      clearTimeout(timer);
      setTimeout(() => finish(code, wallMs), 300); // let the last output arrive
    });
    const finish = (code: number | null, wallMs: number) => {
      child.stdout.destroy();
      child.stderr.destroy();
      const recapAt = output.indexOf('PLAY RECAP');
      resolve({ wallMs, code: code ?? -1, recap: recapAt >= 0 ? output.slice(recapAt).trim() : '', output });
    };
  });
}
