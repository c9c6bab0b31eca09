import type { RenderedConfig } from '@hostnet/render';
import { shellQuote } from '@hostnet/ssh';
import { stringify } from 'yaml';
import type { LabInventory } from '../lab/lab';

/**
 * An Ansible inventory for the lab's hosts: how to reach each one (the lab key, the lab's known_hosts,
 * strict host-key checking) and, as host variables, exactly what hostnet rendered for it.
 */
export function ansibleInventoryYaml(inventory: LabInventory, rendered: Record<string, RenderedConfig>): string {
  const sshArgs = [
    '-F /dev/null',
    `-o UserKnownHostsFile=${inventory.knownHostsPath}`,
    '-o GlobalKnownHostsFile=/dev/null',
    '-o StrictHostKeyChecking=yes',
    '-o IdentitiesOnly=yes',
    '-o BatchMode=yes',
  ].join(' ');
  const hosts: Record<string, unknown> = {};
  for (const host of inventory.hosts) {
    const config = rendered[host.name];
    if (!config) continue;
    for (const file of config.files) {
      // Ansible templates variable values when it uses them: a rendered file must not look like a template.
      if (/\{\{|\{%|\{#/.test(file.content)) throw new Error(`${host.name}: ${file.path} contains Jinja2 markers; refusing to pass it through Ansible`);
    }
    const script = config.steps.map((s) => s.argv.map(shellQuote).join(' ')).join(' && ');
    if (/\{\{|\{%|\{#/.test(script)) throw new Error(`${host.name}: an apply step contains Jinja2 markers`);
    hosts[host.name] = {
      ansible_host: host.managementIp,
      ansible_port: host.sshPort,
      ansible_user: host.sshUser,
      ansible_ssh_private_key_file: inventory.clientKeyPath,
      ansible_ssh_common_args: sshArgs,
      ansible_python_interpreter: '/usr/bin/python3',
      hostnet_target: config.target,
      hostnet_files: config.files.map((f) => ({ path: f.path, content: f.content, mode: `0${f.mode.toString(8)}` })),
      hostnet_removes: config.removes,
      hostnet_apply_script: script,
    };
  }
  return stringify({ lab: { hosts } }, { lineWidth: 0 });
}

/** How the generated ansible.cfg runs the play. */
export interface AnsibleTuning {
  /** One fork per host: every host is worked on at once. */
  forks: number;
  /** Where Ansible keeps its local temp files and SSH control sockets (a private dir of the bench). */
  tempDir: string;
  /** `free`: each host runs through the play at its own pace; `mitogen_free`: the same over Mitogen. */
  strategy: 'free' | 'mitogen_free';
  /** Directory of Mitogen's strategy plugins (Debian: /usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy). */
  mitogenStrategyDir?: string;
}

/**
 * ansible.cfg for the baseline, as an operator tuning for speed would write it: forks = hosts, strategy
 * free (or Mitogen's), no fact gathering, pipelining, SSH multiplexing with ControlPersist.
 */
export function ansibleConfig(tuning: AnsibleTuning): string {
  if (!Number.isInteger(tuning.forks) || tuning.forks < 1) throw new Error(`forks must be a whole number from 1, got ${tuning.forks}`);
  if (tuning.strategy === 'mitogen_free' && !tuning.mitogenStrategyDir) throw new Error('strategy mitogen_free needs mitogenStrategyDir');
  return [
    '[defaults]',
    `forks = ${tuning.forks}`,
    `strategy = ${tuning.strategy}`,
    ...(tuning.strategy === 'mitogen_free' ? [`strategy_plugins = ${tuning.mitogenStrategyDir}`] : []),
    'gathering = explicit',
    'host_key_checking = True',
    'retry_files_enabled = False',
    'interpreter_python = /usr/bin/python3',
    `local_tmp = ${tuning.tempDir}/local`,
    'timeout = 30',
    '',
    '[ssh_connection]',
    'pipelining = True',
    'ssh_args = -C -o ControlMaster=auto -o ControlPersist=120s',
    `control_path_dir = ${tuning.tempDir}/cp`,
    '',
  ].join('\n');
}

/** Per-host counts of one PLAY RECAP line (`host : ok=3 changed=1 unreachable=0 failed=0 skipped=0 …`). */
export interface RecapLine {
  host: string;
  counts: Record<string, number>;
}

/** The PLAY RECAP of ansible-playbook's output, one entry per host; empty when there is none. */
export function parsePlayRecap(output: string): RecapLine[] {
  const at = output.lastIndexOf('PLAY RECAP');
  if (at < 0) return [];
  const lines: RecapLine[] = [];
  for (const line of output.slice(at).split('\n').slice(1)) {
    const m = /^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$/.exec(line.trim());
    if (!m) continue;
    const counts: Record<string, number> = {};
    for (const pair of m[2]!.trim().split(/\s+/)) {
      const [k, v] = pair.split('=');
      counts[k!] = Number(v);
    }
    lines.push({ host: m[1]!, counts });
  }
  return lines;
}

/**
 * Why a re-run was not a no-op: hosts whose recap shows a change, a failure or no contact, and hosts
 * missing from the recap. Empty when every expected host ran and changed nothing.
 */
export function noopViolations(recap: RecapLine[], hosts: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Map(recap.map((r) => [r.host, r.counts]));
  for (const host of hosts) {
    const c = seen.get(host);
    if (!c) {
      out.push(`${host}: not in PLAY RECAP`);
      continue;
    }
    const bad = ['changed', 'failed', 'unreachable'].filter((k) => (c[k] ?? 0) > 0).map((k) => `${k}=${c[k]}`);
    if (bad.length > 0) out.push(`${host}: ${bad.join(' ')}`);
  }
  return out;
}
