import { rmSync, writeFileSync } from 'node:fs';
import { FACTS_SCRIPT } from '../../../libs/apply/src/scripts/facts.script';
import { scriptCommand } from '../../../libs/apply/src/scripts/script-command';
import { armedRunRebooted, events, hostTruth, RUN, runHook } from './support/boot-hook';
import { LocalHostSession } from './support/local-host-session';
import { OLD_INTERFACES, SimRoot } from './support/sim-root';

/**
 * What the boot hook does with a restore that deferred: it tries it again only once the daemon that made it miss
 * answers (never blindly, which runs every restore activation again), and not at all when nothing it missed
 * waited for a daemon: that miss is permanent, and the journal says the retries stopped.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const starts = (root: SimRoot) => events(root).filter((e) => e.startsWith('restore-start'));

/** A tool a restore step runs: fine during the apply, then (`break`) failing for good, as a broken ifup would. */
function installTool(root: SimRoot, failing = false): void {
  const body = failing ? 'echo "sim-tool: broken for good" >&2\nexit 3' : 'exit 0';
  writeFileSync(root.path('.sim/bin/sim-tool'), `#!/bin/sh\necho "sim-tool $*" >> "$HOSTNET_ROOT/.sim/activations.log"\n${body}\n`, { mode: 0o755 });
}

/** An nmcli whose daemon is down while .sim/nm-down exists (its words when NetworkManager is not running). */
function installNmcli(root: SimRoot): void {
  writeFileSync(
    root.path('.sim/bin/nmcli'),
    `#!/bin/sh
[ -f "$HOSTNET_ROOT/.sim/nm-down" ] && { echo 'Error: NetworkManager is not running.' >&2; exit 8; }
[ "$*" = '-t -f RUNNING general' ] && { echo running; exit 0; }
echo "nmcli $*" >> "$HOSTNET_ROOT/.sim/activations.log"
`,
    { mode: 0o755 },
  );
}

describe('the boot hook tries a deferred restore again only when what it missed can still change', () => {
  let root: SimRoot;
  beforeEach(() => {
    root = new SimRoot();
  });
  afterEach(() => root.remove());

  it('cron: waits for ovsdb-server without running the restore again, then finishes it in one more try', async () => {
    const before = await armedRunRebooted(root);

    const hook = runHook(root, '/bin/sh /var/lib/hostnet/recover.sh cron');
    while (!events(root).includes('restore-deferred')) await sleep(100);
    const deferredAt = { events: events(root).length, activations: root.activations().length };
    await sleep(3_000);
    // the database still down: nothing ran again
    expect(events(root)).toHaveLength(deferredAt.events);
    expect(root.activations()).toHaveLength(deferredAt.activations);
    rmSync(root.path('.sim/ovsdb-down'));
    const started = Date.now();
    const boot = await hook;

    expect(boot.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(starts(root)).toEqual(['restore-start boot reboot', 'restore-start up restore-died']);
    expect(events(root).at(-1)).toBe('restored');
    expect(root.state()).toMatchObject({ runId: RUN, phase: 'rolled-back' });
    expect(hostTruth(root)).toEqual(before);
  }, 40_000);

  it('up: a miss no daemon explains is not retried; the journal says so and the next contact ends the restore', async () => {
    installTool(root);
    await armedRunRebooted(root, [{ name: 'sim-tool-up', argv: ['sim-tool', 'up'], phase: 'activate' }]);
    installTool(root, true);
    await runHook(root, '/bin/sh /var/lib/hostnet/recover.sh boot');
    expect(events(root).at(-1)).toBe('restore-deferred');
    rmSync(root.path('.sim/ovsdb-down'));
    const started = Date.now();

    const up = await runHook(root, '/bin/sh /var/lib/hostnet/recover.sh up');

    expect(up.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(starts(root)).toEqual(['restore-start early reboot', 'restore-start up restore-died']);
    const tried = events(root).slice(events(root).lastIndexOf('restore-start up restore-died'));
    expect(tried).toContain('removed-bridge cloudbr0');
    expect(tried).toContain('restore-failed step sim-tool-up 3');
    expect(tried.slice(-2)).toEqual(['restore-deferred', 'restore-retry-stopped permanent']);
    expect(root.state()).toMatchObject({ runId: RUN, phase: 'rolling-back' });

    await new LocalHostSession(root.dir).exec(scriptCommand('facts', FACTS_SCRIPT), { stdin: '', timeoutMs: 30_000 });
    expect(root.state()).toMatchObject({ runId: RUN, phase: 'rolled-back' });
    expect(events(root).at(-1)).toBe('restore-incomplete');
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
  }, 90_000);

  it("up: a daemon that does not answer within the hook's 75 s leaves the restore deferred, and says which", async () => {
    await armedRunRebooted(root);
    await runHook(root, '/bin/sh /var/lib/hostnet/recover.sh boot');
    // the hook's waiting, a second at a time, without the seconds
    writeFileSync(root.path('.sim/bin/sleep'), '#!/bin/sh\necho "$*" >> "$HOSTNET_ROOT/.sim/slept"\n', { mode: 0o755 });

    const up = await runHook(root, '/bin/sh /var/lib/hostnet/recover.sh up');

    expect(up.code).toBe(0);
    expect(root.read('.sim/slept').trim().split('\n')).toEqual(Array(75).fill('1'));
    expect(starts(root)).toEqual(['restore-start early reboot', 'restore-start up restore-died']);
    expect(events(root).slice(-2)).toEqual(['restore-deferred', 'restore-retry-stopped daemon-down ovsdb-server']);
    expect(root.state()).toMatchObject({ runId: RUN, phase: 'rolling-back' });
  }, 40_000);

  it('boot, before network-pre.target: no restore step runs (one that starts a daemon ordered after it would hang the boot); up runs them', async () => {
    installTool(root);
    const before = await armedRunRebooted(root, [{ name: 'sim-tool-up', argv: ['sim-tool', 'up'], phase: 'activate' }]);
    // what ifup-ovs does at that point of the boot: waits on `systemctl start openvswitch`, which waits on this unit
    writeFileSync(root.path('.sim/bin/sim-tool'), `#!/bin/sh\necho "sim-tool $*" >> "$HOSTNET_ROOT/.sim/activations.log"\nsleep 30\n`, { mode: 0o755 });
    const activations = root.activations().length;
    const started = Date.now();

    const boot = await runHook(root, '/bin/sh /var/lib/hostnet/recover.sh boot');

    expect(boot.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(root.activations()).toHaveLength(activations);
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(events(root).slice(-2)).toEqual(['restore-failed steps before-network', 'restore-deferred']);
    expect(root.state()).toMatchObject({ runId: RUN, phase: 'rolling-back' });

    installTool(root);
    rmSync(root.path('.sim/ovsdb-down'));
    const up = await runHook(root, '/bin/sh /var/lib/hostnet/recover.sh up');

    expect(up.code).toBe(0);
    expect(starts(root)).toEqual(['restore-start early reboot', 'restore-start up restore-died']);
    expect(events(root)).toContain('restored-step sim-tool-up');
    expect(events(root).at(-1)).toBe('restored');
    expect(hostTruth(root)).toEqual(before);
  }, 40_000);

  it('up: a step that missed NetworkManager is tried again once it answers', async () => {
    installNmcli(root);
    const before = await armedRunRebooted(root, [{ name: 'nmcli-reload', argv: ['nmcli', 'connection', 'reload'], phase: 'activate' }]);
    writeFileSync(root.path('.sim/nm-down'), '');
    rmSync(root.path('.sim/ovsdb-down'));

    const hook = runHook(root, '/bin/sh /var/lib/hostnet/recover.sh up');
    while (!events(root).includes('restore-deferred')) await sleep(100);
    expect(events(root)).toContain('restore-failed step nmcli-reload 8');
    await sleep(2_000);
    expect(starts(root)).toEqual(['restore-start up reboot']);
    rmSync(root.path('.sim/nm-down'));
    const started = Date.now();
    const up = await hook;

    expect(up.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(starts(root)).toEqual(['restore-start up reboot', 'restore-start up restore-died']);
    expect(events(root).at(-1)).toBe('restored');
    expect(root.state()).toMatchObject({ runId: RUN, phase: 'rolled-back' });
    expect(hostTruth(root)).toEqual(before);
  }, 40_000);
});
