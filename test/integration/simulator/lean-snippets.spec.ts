import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVATION_SNIPPETS, snippetArgv } from '@hostnet/render';
import { shellQuote, SshConnector, type HostSession } from '@hostnet/ssh';
import { SimulatedKvmHost, type KvmHostPersona } from '../../../apps/simulator/src/kvm-host';
import { LEAN_SNIPPETS } from '../../../apps/simulator/src/kvm-host/lean/lean-snippets';
import { LeanSteps } from '../../../apps/simulator/src/kvm-host/lean/lean-steps';
import { SshTestKit } from '../ssh/ssh-test-kit';

/**
 * The lean host model answers the renderers' activation snippets (`sh -c SNIPPET sh NAME…`) in its own
 * process: each one, on twin hosts, must print, exit and leave the live state exactly as a real shell
 * running the same step (as run_step does: `exec 2>&1; timeout …`) on the other twin.
 */
/**
 * The snippets the lean model answers in process. nmUpKeepingPorts is left to a real shell: only a restore of an
 * operator's NetworkManager bridge profile runs it (VM taps put back under the bridge, read from the machine's /sys),
 * and that rare step may cost the lean model a shell.
 */
const { nmUpKeepingPorts: _realShellOnly, ...IN_PROCESS } = ACTIVATION_SNIPPETS;

describe('activation snippets answered by the lean host model', () => {
  const kit = new SshTestKit();
  const connector = new SshConnector();
  const hosts: SimulatedKvmHost[] = [];
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    kit.cleanup();
  });

  it('has an in-process answer for every snippet the renderers use', () => {
    expect([...LEAN_SNIPPETS.keys()].sort()).toEqual(Object.values(IN_PROCESS).sort());
  });

  async function start(persona: KvmHostPersona): Promise<SimulatedKvmHost> {
    const host = await SimulatedKvmHost.start({ name: `snippets-${persona}`, persona, authorizedKeys: [kit.publicKey], management: { address: '192.0.2.10', prefix: 24, gateway: '192.0.2.1' } });
    hosts.push(host);
    return host;
  }

  const cases = Object.entries(IN_PROCESS).flatMap(([name, text]) =>
    name === 'forget' ? [{ name, text, args: ['eth0', 'eth1', 'nosuch0'] }, { name, text, args: [] }] : [{ name, text, args: ['eth0'] }, { name, text, args: ['nosuch0'] }],
  );

  it.each(['debian12', 'centos7'] as const)('%s: same output, exit code and live state as a real shell', async (persona) => {
    const [inProcess, inShell] = [await start(persona), await start(persona)];
    const steps = new LeanSteps(inProcess.rootDir, () => Promise.reject(new Error('a snippet went to a real shell')));
    const session: HostSession = await connector.connect(kit.endpoint(inShell), { knownHostsPath: kit.pinnedKnownHosts(inShell), trustOnFirstUse: false, connectTimeoutMs: 5000, commandTimeoutMs: 20_000 });
    const outputs: string[] = [];
    const runAll = async (): Promise<void> => {
      for (const { name, text, args } of cases) {
        const argv = snippetArgv(text, args);
        const lean = await steps.run(argv, 30);
        const shell = await session.exec(`exec 2>&1; ${['timeout', '-k', '5', '30', ...argv].map(shellQuote).join(' ')}`);
        const output = (text: string, host: SimulatedKvmHost) => text.split(host.rootDir).join('<root>');
        expect({ name, args, code: lean.code, output: output(lean.output.toString(), inProcess) }).toEqual({ name, args, code: shell.code, output: output(shell.stdout, inShell) });
        expect(inProcess.readLiveState()).toEqual(inShell.readLiveState());
        outputs.push(shell.stdout);
      }
    };
    const upload = (text: string): void => {
      for (const host of [inProcess, inShell]) {
        mkdirSync(join(host.rootDir, 'var/lib/hostnet'), { recursive: true });
        writeFileSync(join(host.rootDir, 'var/lib/hostnet/expected-state.json'), text);
      }
    };
    try {
      await runAll();
      // a fresh upload: the first ifup applies it, on both hosts alike
      const before = inShell.readLiveState();
      upload(JSON.stringify({ ...before, links: [...before.links, { name: 'cloudbr9', kind: 'bridge', members: [], up: true }] }));
      await runAll();
      expect(inShell.readLiveState().links.map((l) => l.name)).toContain('cloudbr9');
      // an upload ifup cannot read: every ifup fails, with its message on stderr
      upload('{ broken');
      await runAll();
      expect(outputs.filter((o) => o.includes('is not valid JSON')).length).toBeGreaterThanOrEqual(4);
    } finally {
      await session.close();
    }
  }, 120_000);
});
