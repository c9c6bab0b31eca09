import { RESTORE_SCRIPT } from '../../../libs/apply/src/scripts/restore.script';
import { Lab } from '../lab';

/**
 * A bridge a run made through NetworkManager carries a VM's tap by the time the run is rolled back: the restore keeps
 * it (hostnet undoes only what it alone holds), then removes the run's profile and reloads NetworkManager, which on
 * its own would delete the bridge it made, the tap's master with it. On a real NetworkManager (rocky9 persona).
 */
const PREFIX = process.env.HOSTNET_LAB_PREFIX ? `${process.env.HOSTNET_LAB_PREFIX}k` : 'hnkl';
const NAME = `${PREFIX}h01`;
const RUN = '/var/lib/hostnet/backups/r1';
const PROFILE = '/etc/NetworkManager/system-connections/cloudbr7.nmconnection';

describe('lab: a restore on a NetworkManager host keeps the bridge a VM joined', () => {
  let lab: Lab;
  const sh = async (command: string): Promise<string> => {
    const r = await lab.hostExec(NAME, ['sh', '-c', command], { timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`${command} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const put = (path: string, text: string) => sh(`mkdir -p "$(dirname ${path})" && echo ${Buffer.from(text).toString('base64')} | base64 -d > ${path}`);

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 1, personas: ['rocky9'], ovs: ['linux'], stateDir: `/run/hostnet-lab-${PREFIX}-${process.pid}`, prefix: PREFIX });
  }, 120_000);
  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('takes the kept bridge out of NetworkManager for the reload and hands it back: bridge, tap and its master stay; the profile is gone', async () => {
    const linksBefore = await sh("ip -o link show | sed -n 's/^[0-9]*: \\([^:@]*\\).*/\\1/p'");
    // what the run did: wrote cloudbr7's profile and brought it up; a VM's tap joined it since
    await sh(
      'nmcli connection add type bridge con-name cloudbr7 ifname cloudbr7 ipv4.method disabled ipv6.method ignore >/dev/null && nmcli connection up cloudbr7 >/dev/null ' +
        '&& ip tuntap add dev vnet7 mode tap && ip link set vnet7 master cloudbr7 && ip link set vnet7 up',
    );
    await put(`${RUN}/restore.sh`, RESTORE_SCRIPT);
    await put(`${RUN}/manifest`, `absent ${PROFILE}\n`);
    await put(`${RUN}/journal`, `1 begin s1\n2 writing ${PROFILE}\n3 step-start nmcli-up-cloudbr7\n4 steps-done\n`);
    await put(`${RUN}/owns`, 'cloudbr7\n');
    await put(`${RUN}/links`, linksBefore);
    await put(`${RUN}/restore-steps/01`, 'nmcli-reload\nactivate\nnmcli\nconnection\nreload\n');
    await put('/var/lib/hostnet/state.json', '{"runId":"r1","specHash":"s1","phase":"armed","deadline":"0","appliedSpecHash":"s0","updatedAt":"1"}\n');

    await sh(`sh ${RUN}/restore.sh ${RUN} now test`);
    await sh('sleep 2');

    const journal = await sh(`cat ${RUN}/journal`);
    expect(journal).toMatch(/kept-link cloudbr7 devices vnet7/);
    expect(journal).toMatch(/restored-step nmcli-reload/);
    expect(await sh(`test -e ${PROFILE} && echo present || echo gone`)).toBe('gone\n');
    expect(await sh('ip -o link show vnet7')).toMatch(/master cloudbr7/);
    // handed back to NetworkManager after the reload: managed, with no profile, as before the run's
    expect(journal).toMatch(/unmanaged-link cloudbr7\n.*\n.*managed-link cloudbr7/);
    expect(await sh('nmcli -t -f DEVICE,STATE device status')).toMatch(/^cloudbr7:disconnected$/m);
    expect(await sh('ip -o link show vnet7')).toMatch(/master cloudbr7/);
  }, 60_000);
});
