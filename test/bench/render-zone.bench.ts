import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { runRenderCommand } from '../../apps/cli/src/commands/render.command';
import { CloudStackSimulator, DEFAULT_TOPOLOGY_PATH, loadSimulatorTopology } from '../../apps/simulator/src/cloudstack';
import { demoProfilesYaml } from '../../apps/simulator/src/environment/demo-profiles';
import { seedZone } from '../../apps/simulator/src/environment/zone-seed';

/** Figures of `hostnet render --zone Z --all` over a simulated zone, in this process. */
export interface RenderZoneBenchResult {
  hosts: number;
  /** The whole command: topology from the simulator, intents, rendering, files written. */
  renderAllMs: number;
  /** CPU this process spent meanwhile (the in-process simulator's answers included): the figure a loaded machine does not inflate. */
  renderAllCpuMs: number;
  /** Baseline in the same run: writing the same files (same paths, same bytes) with nothing rendered. */
  writeOnlyMs: number;
  /** renderAllMs / writeOnlyMs. */
  ratio: number;
  files: number;
}

const KEYS = { apiKey: 'bench-render-key', secretKey: 'bench-render-secret' };

/** Runs the CLI's render command on a zone of `hosts` simulated hosts (half linux bridge, half OVS), target netplan. */
export async function runRenderZoneBench(opts: { hosts: number }): Promise<RenderZoneBenchResult> {
  const seeded = seedZone(await loadSimulatorTopology(DEFAULT_TOPOLOGY_PATH), opts.hosts);
  const sim = await CloudStackSimulator.start({ topology: seeded.topology, ...KEYS });
  const dir = await mkdtemp(join(tmpdir(), 'hostnet-render-bench-'));
  try {
    const profiles = join(dir, 'profiles.yaml');
    const personas = ['ubuntu2204', 'ubuntu2404'] as const;
    await writeFile(profiles, demoProfilesYaml(seeded.hosts.map((h, i) => ({ ...h, persona: personas[i % 2]! }))));
    const out = join(dir, 'out');
    const env = { CLOUDSTACK_URL: sim.url, CLOUDSTACK_API_KEY: KEYS.apiKey, CLOUDSTACK_SECRET_KEY: KEYS.secretKey };
    const zone = seeded.topology.zones[0]!.name;
    const written: string[] = [];
    const io = { out: (t: string) => written.push(...t.split('\n').filter((l) => l.startsWith('wrote ')).map((l) => l.slice(6))), err: () => undefined };
    const argv = ['--zone', zone, '--all', '--profile', profiles, '--os', 'ubuntu:22.04', '--root-dir', out];
    let t = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const code = await runRenderCommand(argv, io, { env });
    const renderAllMs = Number(process.hrtime.bigint() - t) / 1e6;
    const used = process.cpuUsage(cpu);
    if (code !== 0) throw new Error(`hostnet render --zone ${zone} --all exited ${code}`);

    const contents = await Promise.all(written.map((p) => readFile(p)));
    const copy = join(dir, 'copy');
    t = process.hrtime.bigint();
    for (const [i, path] of written.entries()) {
      const target = join(copy, relative(out, path));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, contents[i]!);
    }
    const writeOnlyMs = Number(process.hrtime.bigint() - t) / 1e6;
    return { hosts: opts.hosts, renderAllMs, renderAllCpuMs: (used.user + used.system) / 1000, writeOnlyMs, ratio: renderAllMs / writeOnlyMs, files: written.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await sim.stop();
  }
}
