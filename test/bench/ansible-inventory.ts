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

/** ansible.cfg for the baseline: what an operator tuning for speed would set (pipelining, SSH multiplexing). */
export function ansibleConfig(forks: number, tempDir: string): string {
  return [
    '[defaults]',
    `forks = ${forks}`,
    'host_key_checking = True',
    'retry_files_enabled = False',
    'interpreter_python = /usr/bin/python3',
    `local_tmp = ${tempDir}/local`,
    'timeout = 30',
    '',
    '[ssh_connection]',
    'pipelining = True',
    'ssh_args = -C -o ControlMaster=auto -o ControlPersist=60s',
    `control_path_dir = ${tempDir}/cp`,
    '',
  ].join('\n');
}
