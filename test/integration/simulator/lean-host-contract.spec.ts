import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { encodeApplyPayload, expectationFromIntent, HOST_SCRIPT_COMMANDS, HostWorkflowService, parseFacts, type ApplyOutcome, type HostScriptName } from '@hostnet/apply';
import { previousExpectedState } from '@hostnet/apply/parsers/previous-state.parser';
import { CloudStackClient, ZoneTopologyService } from '@hostnet/cloudstack';
import { buildHostIntent, expectedLiveState, netmaskToPrefix, parseProfileSet, type HostNetworkIntent } from '@hostnet/intent';
import { AGENT_PROPERTIES_PATH, renderHost, selectTarget } from '@hostnet/render';
import { SshConnector, type HostSession } from '@hostnet/ssh';
import { CloudStackSimulator, DEFAULT_TOPOLOGY_PATH, loadSimulatorTopology } from '../../../apps/simulator/src/cloudstack';
import { demoProfilesYaml, PERSONA_BACKEND } from '../../../apps/simulator/src/environment/demo-profiles';
import { seedZone } from '../../../apps/simulator/src/environment/zone-seed';
import { KVM_HOST_PERSONAS, SimulatedKvmHost, type HostModel, type KvmHostPersona } from '../../../apps/simulator/src/kvm-host';
import { candidatePaths } from '../../../apps/worker/src/host-run/candidate-paths';
import { hostOsFacts } from '../../../apps/worker/src/host-run/os-facts.mapper';
import { AGENT_RESTART_SCRIPT } from '@hostnet/apply/scripts/agent-restart.script';
import { scriptCommand } from '@hostnet/apply/scripts/script-command';
import { applyWithoutConfirm } from '../apply/support/host-scripts';
import { SshTestKit } from '../ssh/ssh-test-kit';

/**
 * The lean host model (apps/simulator/src/kvm-host/lean) stands in for the on-host scripts in the bench,
 * so it is held to them here: twin hosts of every persona, one running the real scripts in a shell and
 * one lean, get the same worker workflow (the zone's own intent, a change and then a no-op re-run), and
 * must answer every exec with the same bytes and end with the same files, run directory and live state.
 * Only times, the rollback watcher's own traces and its mechanism may differ.
 */

interface Exec {
  script: HostScriptName | 'other';
  stdin: string;
  stdout: string;
  stderr: string;
  code: number;
  endedAt: number;
}

const SCRIPT_OF = new Map(Object.entries(HOST_SCRIPT_COMMANDS).map(([name, command]) => [command, name as HostScriptName]));

/** The host's root, run ids' time suffix, times (epoch s and ms), the apply shell's pid, step durations and the watcher mechanism made comparable. */
function normalized(text: string, root: string): string {
  return text
    .split(root)
    .join('<root>')
    .replace(/\bcontract-(\d)-[a-z0-9]+\b/g, 'contract-$1-RUN')
    .replace(/\b\d{10,13}\b/g, 'T')
    // the deadline's second line: the time since boot it falls at (deadline_in), timing as the epoch above is
    .replace(/^(\d+|T) ([0-9a-f-]{36})$/gm, 'UP $2')
    .replace(/^(T locked) \d+$/gm, '$1 PID')
    // verify pushes the deadline only when its new one is later by the clock's second: timing, not behaviour
    .replace(/^T extended T\n/gm, '')
    .replace(/^(T armed T) \S+$/gm, '$1 MECH')
    .replace(/"durationMs":\d+/g, '"durationMs":D')
    .replace(/"mechanism":"[a-z-]*"/g, '"mechanism":M');
}

/** Run-directory files that only the script's processes leave (the watcher's and the apply shell's pids, the watcher's log). */
const PROCESS_TRACES = /(^|\/)(apply\.pid|timer\.pid|step\.pid|restore-step\.pid|restore\.log)$/;

/** Every file under the host's root but the simulator's own, as path → mode and (normalized) content. */
function tree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const rel = normalized(relative(root, path), root);
      if (rel === '.sim') continue;
      const stat = statSync(path);
      if (stat.isDirectory()) {
        files.set(`${rel}/`, (stat.mode & 0o7777).toString(8));
        walk(path);
      } else if (!PROCESS_TRACES.test(rel)) {
        files.set(rel, `${(stat.mode & 0o7777).toString(8)} ${normalized(readFileSync(path, 'utf8'), root)}`);
      }
    }
  };
  walk(root);
  return files;
}

describe('lean host model against the on-host scripts', () => {
  const kit = new SshTestKit();
  const connector = new SshConnector();
  let cloudstack: CloudStackSimulator;
  const intents = new Map<KvmHostPersona, { intent: HostNetworkIntent; seed: { name: string; ipAddress: string }; prefix: number; gateway: string }>();
  const hosts: SimulatedKvmHost[] = [];

  beforeAll(async () => {
    const seeded = seedZone(await loadSimulatorTopology(DEFAULT_TOPOLOGY_PATH), KVM_HOST_PERSONAS.length);
    const apiKey = randomBytes(16).toString('hex');
    const secretKey = randomBytes(16).toString('hex');
    cloudstack = await CloudStackSimulator.start({ topology: seeded.topology, apiKey, secretKey });
    const client = new CloudStackClient({ url: cloudstack.url, apiKey, secretKey });
    const topology = await new ZoneTopologyService(client).getTopology(cloudstack.state.zones[0]!.id, { requireKvmHosts: true });
    const pod = seeded.topology.zones[0]!.pods[0]!;
    const personaOf = (i: number): KvmHostPersona => KVM_HOST_PERSONAS[i]!;
    const profiles = parseProfileSet(demoProfilesYaml(seeded.hosts.map((s, i) => ({ name: s.name, storageAddress: s.storageAddress, persona: personaOf(i) }))), 'demo profiles');
    seeded.hosts.forEach((seed, i) => {
      const host = topology.hosts.find((h) => h.name === seed.name)!;
      intents.set(personaOf(i), { intent: buildHostIntent({ topology, hostId: host.id, profileSet: profiles }), seed, prefix: netmaskToPrefix(pod.netmask) ?? 24, gateway: pod.gateway });
    });
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    await cloudstack?.stop();
    kit.cleanup();
  });

  /** A step that fails after the files are written: the apply must restore them and the state before it. */
  const FAILING_STEP = { name: 'fails-on-purpose', argv: ['sh', '-c', 'echo broken >&2; exit 3'], phase: 'activate' as const };

  async function startHost(persona: KvmHostPersona, hostModel: HostModel, applyLatencyMs = 0): Promise<{ host: SimulatedKvmHost; execs: Exec[]; connect: () => Promise<HostSession> }> {
    const { seed, prefix, gateway } = intents.get(persona)!;
    const host = await SimulatedKvmHost.start({
      name: seed.name,
      persona,
      hostModel,
      applyLatencyMs,
      authorizedKeys: [kit.publicKey],
      management: { address: seed.ipAddress, prefix, gateway },
      ...(PERSONA_BACKEND[persona] === 'ovs' ? { extraTools: ['ovs-vsctl', 'ovs-appctl'] } : {}),
    });
    hosts.push(host);
    const execs: Exec[] = [];
    const knownHostsPath = kit.pinnedKnownHosts(host);
    const connect = async (): Promise<HostSession> => {
      const session = await connector.connect(kit.endpoint(host), { knownHostsPath, trustOnFirstUse: false, connectTimeoutMs: 5000, commandTimeoutMs: 20_000 });
      return {
        exec: async (command, options) => {
          const result = await session.exec(command, options);
          execs.push({ script: SCRIPT_OF.get(command) ?? 'other', stdin: String(options?.stdin ?? ''), stdout: result.stdout, stderr: result.stderr, code: result.code, endedAt: Date.now() });
          return result;
        },
        close: () => session.close(),
      };
    };
    return { host, execs, connect };
  }

  async function twin(persona: KvmHostPersona, hostModel: HostModel, failing = false): Promise<{ host: SimulatedKvmHost; execs: Exec[]; outcomes: ApplyOutcome[]; connect: () => Promise<HostSession> }> {
    const { intent } = intents.get(persona)!;
    const { host, execs, connect } = await startHost(persona, hostModel);
    // the agent.properties cloudstack-setup-agent writes at addHost (the zone's labels), which every worker run reads
    const props = join(host.rootDir, AGENT_PROPERTIES_PATH);
    mkdirSync(dirname(props), { recursive: true });
    writeFileSync(props, 'workers=5\nprivate.network.device=cloudbr0\npublic.network.device=cloudbr1\nguest.network.device=cloudbr0\n', { mode: 0o644 });
    const extraFactPaths = [...candidatePaths(intent), AGENT_PROPERTIES_PATH];
    const workflow = new HostWorkflowService(connect, { rollbackSeconds: 30, rollbackGraceMs: 5000, reconnectIntervalMs: 200, reconnectTimeoutMs: 5000, extraFactPaths });
    const outcomes: ApplyOutcome[] = [];
    for (const runId of ['contract-1', 'contract-2']) {
      outcomes.push(
        await workflow.run({
          runId,
          specHash: 'contractspec',
          expected: expectationFromIntent(intent, expectedLiveState(intent)),
          render: (facts) => {
            const config = renderHost(intent, selectTarget(hostOsFacts(facts), intent.backend), { ovsDatapathType: 'netdev', live: facts.live, previous: previousExpectedState(facts), previousFiles: facts.files });
            return failing ? { ...config, steps: [...config.steps, FAILING_STEP] } : config;
          },
        }),
      );
    }
    return { host, execs, outcomes, connect };
  }

  function expectSameAsScripts(lean: Awaited<ReturnType<typeof twin>>, scripts: Awaited<ReturnType<typeof twin>>): void {
    expect(lean.outcomes.map((o) => o.reason)).toEqual(scripts.outcomes.map((o) => o.reason));
    expect(lean.outcomes.map((o) => o.roundTrips)).toEqual(scripts.outcomes.map((o) => o.roundTrips));
    expect(lean.outcomes.map((o) => o.diff)).toEqual(scripts.outcomes.map((o) => o.diff));
    expect(lean.outcomes.map((o) => o.verification)).toEqual(scripts.outcomes.map((o) => o.verification));

    expect(lean.execs.map((e) => e.script)).toEqual(scripts.execs.map((e) => e.script));
    lean.execs.forEach((exec, i) => {
      const theirs = scripts.execs[i]!;
      expect({ script: exec.script, code: exec.code, stdout: normalized(exec.stdout, lean.host.rootDir) }).toEqual({ script: theirs.script, code: theirs.code, stdout: normalized(theirs.stdout, scripts.host.rootDir) });
    });
    // the deadlines the apply answered, as seconds after its answer: the times above are masked
    const deadlineOffsets = (execs: Exec[]) => execs.filter((e) => e.script === 'apply').map((e) => Number(/"deadline":(\d+)/.exec(e.stdout)?.[1]) - e.endedAt / 1000);
    const [leanOffsets, scriptOffsets] = [deadlineOffsets(lean.execs), deadlineOffsets(scripts.execs)];
    expect(leanOffsets).toHaveLength(scriptOffsets.length);
    leanOffsets.forEach((offset, i) => expect(Math.abs(offset - scriptOffsets[i]!)).toBeLessThan(3));
    // every exec was the lean model's own: not one went to a shell
    expect(lean.host.stats.leanAnswers).toBe(lean.execs.length);
    expect(scripts.host.stats.leanAnswers).toBe(0);

    expect(lean.host.readLiveState()).toEqual(scripts.host.readLiveState());
    expect(Object.fromEntries(tree(lean.host.rootDir))).toEqual(Object.fromEntries(tree(scripts.host.rootDir)));
  }

  it.each(KVM_HOST_PERSONAS)('%s: same answers, files, run directory and live state', async (persona) => {
    const scripts = await twin(persona, 'scripts');
    const lean = await twin(persona, 'lean');
    expect(lean.outcomes.map((o) => o.status)).toEqual(['applied', 'no-op']);
    // both read the agent's file (the lean facts by their own path lookup, held to the script's bytes below)
    expect([lean, scripts].map((t) => t.execs.find((e) => e.script === 'facts')?.stdout.includes(` ${AGENT_PROPERTIES_PATH}\n`))).toEqual([true, true]);
    expectSameAsScripts(lean, scripts);
  }, 120_000);

  it("centos7's ip has no JSON (iproute2 4.11): facts and verify read its text, so the run is verified, its re-run a no-op", async () => {
    // On the old print_live (`ip -j … || echo '[]'`) every link read as missing: the management-address check
    // failed, every run rolled back, and a re-run was a change again.
    for (const hostModel of ['scripts', 'lean'] as const) {
      const run = await twin('centos7', hostModel);
      const mgmt = run.outcomes[0]!.verification.checks.find((c) => c.name === 'management-address');
      expect({ model: hostModel, statuses: run.outcomes.map((o) => o.status), mgmt }).toEqual({ model: hostModel, statuses: ['applied', 'no-op'], mgmt: expect.objectContaining({ ok: true }) });
      expect(run.outcomes[0]!.verification.ok).toBe(true);
      expect(run.outcomes[1]!.diff.live).toEqual([]);
      expect(run.outcomes[1]!.roundTrips).toMatchObject({ facts: 1, apply: 0, verify: 0, total: 1 });
      // what made it so: ip -j refused as 4.11 refuses it, and the facts read the text print_live printed instead
      const session = await run.connect();
      const probe = await session.exec('ip -j link show');
      await session.close();
      expect({ code: probe.code, stderr: probe.stderr }).toEqual({ code: 255, stderr: 'Option "-j" is unknown, try "ip -help".\n' });
      const factsOut = run.execs.find((e) => e.script === 'facts')!.stdout;
      expect(factsOut).toMatch(/\n@@hostnet:ip-link\n\n@@hostnet:ip-version\nip utility, iproute2-ss170501\n\n@@hostnet:ip-text-link\n1: lo: /);
      expect(factsOut).not.toMatch(/"ifname"/);
    }
  }, 120_000);

  it('a run nobody confirms is rolled back at its deadline, on the lean host by its watcher timer', async () => {
    const persona: KvmHostPersona = 'ubuntu2404';
    const { intent } = intents.get(persona)!;
    const unconfirmed = async (hostModel: HostModel) => {
      const { host, connect } = await startHost(persona, hostModel);
      const session = await connect();
      const facts = parseFacts((await session.exec(HOST_SCRIPT_COMMANDS.facts, { stdin: candidatePaths(intent).map((p) => `${p}\n`).join('') })).stdout);
      const rendered = renderHost(intent, selectTarget(hostOsFacts(facts), intent.backend), { ovsDatapathType: 'netdev', live: facts.live, previousFiles: facts.files });
      const applied = await applyWithoutConfirm(session, rendered, 'unconfirmed-1', 'contractspec', 2);
      await session.close();
      return { host, applied, before: facts };
    };
    const [scripts, lean] = [await unconfirmed('scripts'), await unconfirmed('lean')];
    expect(lean.applied).toMatchObject({ status: 'armed' });
    expect(scripts.applied).toMatchObject({ status: 'armed' });
    const phase = (host: SimulatedKvmHost) => JSON.parse(readFileSync(join(host.rootDir, 'var/lib/hostnet/state.json'), 'utf8')).phase as string;
    const deadline = Date.now() + 15_000;
    while ((phase(lean.host) !== 'rolled-back' || phase(scripts.host) !== 'rolled-back') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect([phase(lean.host), phase(scripts.host)]).toEqual(['rolled-back', 'rolled-back']);
    expect(lean.host.readLiveState()).toEqual(scripts.host.readLiveState());
    expect(Object.fromEntries(tree(lean.host.rootDir))).toEqual(Object.fromEntries(tree(scripts.host.rootDir)));
  }, 60_000);

  it('a verify sent while a lean apply runs waits for it, as the script would wait on the run lock', async () => {
    const persona: KvmHostPersona = 'ubuntu2404';
    const { intent } = intents.get(persona)!;
    const { host, connect } = await startHost(persona, 'lean', 1500);
    const [first, second] = [await connect(), await connect()];
    const facts = parseFacts((await first.exec(HOST_SCRIPT_COMMANDS.facts, { stdin: candidatePaths(intent).map((p) => `${p}\n`).join('') })).stdout);
    const rendered = renderHost(intent, selectTarget(hostOsFacts(facts), intent.backend), { ovsDatapathType: 'netdev', live: facts.live, previousFiles: facts.files });
    const applying = applyWithoutConfirm(first, rendered, 'overlap-1', 'contractspec', 30);
    await new Promise((r) => setTimeout(r, 300));
    const verify = await second.exec(HOST_SCRIPT_COMMANDS.verify, { stdin: 'run overlap-1\nextend 30\n' });
    await expect(applying).resolves.toMatchObject({ status: 'armed' });
    // the verify saw the run after its last step, never half-way
    expect(verify.stdout).toMatch(/\n\d+ steps-done \d+\n/);
    // facts, the helper's own facts (what its payload says it saw), apply, verify
    expect(host.stats.leanAnswers).toBe(4);
    await Promise.all([first.close(), second.close()]);
  }, 60_000);

  it('a verify of a run that never armed goes to the script, which fences it; the late apply is refused alike', async () => {
    const persona: KvmHostPersona = 'ubuntu2404';
    const { intent } = intents.get(persona)!;
    const fenced = async (hostModel: HostModel) => {
      const { host, execs, connect } = await startHost(persona, hostModel);
      const session = await connect();
      await session.exec(HOST_SCRIPT_COMMANDS.verify, { stdin: 'run fenced-1\nextend 30\n' });
      const facts = parseFacts((await session.exec(HOST_SCRIPT_COMMANDS.facts, { stdin: candidatePaths(intent).map((p) => `${p}\n`).join('') })).stdout);
      const rendered = renderHost(intent, selectTarget(hostOsFacts(facts), intent.backend), { ovsDatapathType: 'netdev', live: facts.live, previousFiles: facts.files });
      const apply = await applyWithoutConfirm(session, rendered, 'fenced-1', 'contractspec', 30);
      await session.close();
      return { host, verify: execs[0]!, apply };
    };
    const [scripts, lean] = [await fenced('scripts'), await fenced('lean')];
    expect(scripts.verify.stdout).toMatch(/\n@@hostnet:apply\nended\n/);
    expect(normalized(lean.verify.stdout, lean.host.rootDir)).toBe(normalized(scripts.verify.stdout, scripts.host.rootDir));
    expect(scripts.apply).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/run fenced-1 already exists/) });
    expect(lean.apply).toEqual(scripts.apply);
    // the two facts (ours, the helper's) answered on the lean host; the verify and the apply went to the script
    expect(lean.host.stats.leanAnswers).toBe(2);
    expect(lean.host.readLiveState()).toEqual(scripts.host.readLiveState());
    expect(Object.fromEntries(tree(lean.host.rootDir))).toEqual(Object.fromEntries(tree(scripts.host.rootDir)));
  }, 60_000);

  it('a payload planned from another run state is refused as stale, on the lean host by the script itself', async () => {
    const persona: KvmHostPersona = 'ubuntu2404';
    const { intent } = intents.get(persona)!;
    const refused = async (hostModel: HostModel) => {
      const { host, execs, connect } = await startHost(persona, hostModel);
      const session = await connect();
      const facts = parseFacts((await session.exec(HOST_SCRIPT_COMMANDS.facts, { stdin: candidatePaths(intent).map((p) => `${p}\n`).join('') })).stdout);
      const rendered = renderHost(intent, selectTarget(hostOsFacts(facts), intent.backend), { ovsDatapathType: 'netdev', live: facts.live, previousFiles: facts.files });
      const payload = encodeApplyPayload({
        runId: 'stale-1',
        specHash: 'contractspec',
        rollbackSeconds: 30,
        stepTimeoutSeconds: 10,
        seen: { runId: 'job-gone', phase: 'applied' },
        files: rendered.files,
        removes: rendered.removes,
        steps: rendered.steps,
        restoreSteps: [],
      });
      await session.exec(HOST_SCRIPT_COMMANDS.apply, { stdin: payload });
      await session.close();
      return { host, apply: execs.at(-1)! };
    };
    const [scripts, lean] = [await refused('scripts'), await refused('lean')];
    expect(JSON.parse(scripts.apply.stdout.trim())).toEqual({ status: 'stale', runId: '', phase: '' });
    expect(normalized(lean.apply.stdout, lean.host.rootDir)).toBe(normalized(scripts.apply.stdout, scripts.host.rootDir));
    // the lean model answered the facts and handed the apply to the script
    expect(lean.host.stats.leanAnswers).toBe(1);
    expect(lean.host.readLiveState()).toEqual(scripts.host.readLiveState());
    expect(Object.fromEntries(tree(lean.host.rootDir))).toEqual(Object.fromEntries(tree(scripts.host.rootDir)));
  }, 60_000);

  it.each(['centos7', 'ubuntu2404'] as const)('%s: a failing step is restored the same way (the restore is the real script)', async (persona) => {
    const scripts = await twin(persona, 'scripts', true);
    const lean = await twin(persona, 'lean', true);
    expect(lean.outcomes[0]!.status).toBe('failed');
    expect(lean.outcomes[0]!.rollback).toBeDefined();
    expectSameAsScripts(lean, scripts);
  }, 120_000);

  it('an agent restart answers and leaves its marker as the script does, once per job', async () => {
    const restarted = async (hostModel: HostModel) => {
      const { host, execs, connect } = await startHost('rocky9', hostModel);
      const session = await connect();
      for (const args of [['job-a', 'if-running'], ['job-a', 'if-running'], ['job-b']]) {
        await session.exec(scriptCommand('agent-restart', AGENT_RESTART_SCRIPT, ...args));
      }
      await session.close();
      return { host, execs };
    };
    const [scripts, lean] = [await restarted('scripts'), await restarted('lean')];
    expect(scripts.execs.map((e) => [e.code, e.stdout])).toEqual([[0, 'restarted\n'], [0, 'already\n'], [0, 'restarted\n']]);
    expect(lean.execs.map((e) => [e.code, e.stdout, e.stderr])).toEqual(scripts.execs.map((e) => [e.code, e.stdout, e.stderr]));
    expect(lean.host.stats.leanAnswers).toBe(3);
    expect(Object.fromEntries(tree(lean.host.rootDir))).toEqual(Object.fromEntries(tree(scripts.host.rootDir)));
  }, 60_000);
});
