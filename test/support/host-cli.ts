import { CONFIGURE_USAGE, configureCommand } from '../../apps/cli/src/commands/configure.command';
import { HOST_USAGE, hostCommand } from '../../apps/cli/src/commands/host.command';
import { HOSTS_USAGE, hostsCommand } from '../../apps/cli/src/commands/hosts.command';
import { runCli } from '../../apps/cli/src/main';
import type { PipelineHarness } from './pipeline-harness';

/** The CLI's host commands (configure, hosts, host) run in this process against the harness's api, output captured. */
export async function hostCli(h: PipelineHarness, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = () => ({ API_TOKEN: h.env.API_TOKEN });
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, '--api-url', h.apiUrl], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, {
    configure: { run: configureCommand(env), usage: CONFIGURE_USAGE },
    hosts: { run: hostsCommand(env), usage: HOSTS_USAGE },
    host: { run: hostCommand(env), usage: HOST_USAGE },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
