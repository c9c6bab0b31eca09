import type { CloudStackClient, KvmHost } from '@hostnet/cloudstack';
import { HostEnableError, HostEnableService } from './host-enable.service';

const host = (over: Partial<KvmHost>): KvmHost => ({ id: 'h1', name: 'kvm1', state: 'Up', resourceState: 'Enabled', ...over }) as KvmHost;

function setup(listed: KvmHost) {
  const sent: string[] = [];
  const cloudstack = {
    listHosts: async () => (sent.push('listHosts'), [listed]),
    reconnectHost: async () => (sent.push('reconnectHost'), host({ state: 'Up', resourceState: 'Disabled' })),
    updateHostAllocation: async (_id: string, state: string) => void sent.push(`updateHost ${state}`),
  } as unknown as CloudStackClient;
  return { service: new HostEnableService(cloudstack, { CLOUDSTACK_TIMEOUT_MS: 1_000, CLOUDSTACK_RECONNECT_WAIT_MS: 2_000 }), sent };
}

describe('HostEnableService: only the calls the host still needs', () => {
  it('makes no call for a host the re-check read found Up and Enabled', async () => {
    const { service, sent } = setup(host({}));
    await expect(service.enable('h1', host({}))).resolves.toEqual({ calls: [], enabled: true, resourceState: 'Enabled' });
    expect(sent).toEqual([]);
  });

  it("makes no call for a host in an operator's maintenance, and says it is not enabled", async () => {
    const { service, sent } = setup(host({}));
    await expect(service.enable('h1', host({ resourceState: 'Maintenance' }))).resolves.toEqual({ calls: [], enabled: false, resourceState: 'Maintenance' });
    // cut off too: CloudStack refuses to reconnect a host in maintenance, and ending it reconnects the agent
    await expect(service.enable('h1', host({ state: 'Alert', resourceState: 'Maintenance' }))).resolves.toEqual({ calls: [], enabled: false, resourceState: 'Maintenance' });
    expect(sent).toEqual([]);
  });

  it('reconnects and enables a host the re-check read found in Alert and Disabled, without listing it again', async () => {
    const { service, sent } = setup(host({}));
    const result = await service.enable('h1', host({ state: 'Alert', resourceState: 'Disabled' }));
    expect(sent).toEqual(['reconnectHost', 'updateHost Enable']);
    expect(result.calls.map((c) => c.command)).toEqual(['reconnectHost', 'updateHost']);
  });

  it('lists the host first when no read is handed over, or one of another host', async () => {
    for (const seen of [undefined, host({ id: 'h2', resourceState: 'Disabled' })]) {
      const { service, sent } = setup(host({ resourceState: 'Disabled' }));
      await service.enable('h1', seen);
      expect(sent).toEqual(['listHosts', 'updateHost Enable']);
    }
  });

  it('asks before each mutation, and sends nothing more once the answer is no', async () => {
    const { service, sent } = setup(host({}));
    const asked: number[] = [];
    const lease = async () => {
      asked.push(sent.length);
      if (asked.length > 1) throw new Error('lock lost');
    };
    await expect(service.enable('h1', host({ state: 'Alert', resourceState: 'Disabled' }), lease)).rejects.toThrow('lock lost');
    expect(asked).toEqual([0, 1]);
    expect(sent).toEqual(['reconnectHost']);
  });

  describe('a reconnect counts only once CloudStack lists the host Up', () => {
    /**
     * reconnectHost answered with the host as CloudStack has it then (its reconnect disconnects the agent on
     * purpose), then listed in these states, then `rest`; a state `error` is a listing that fails.
     */
    function reconnecting(states: (KvmHost['state'] | 'error')[], rest: KvmHost['state'] = 'Connecting') {
      const sent: string[] = [];
      const cloudstack = {
        listHosts: async () => {
          sent.push('listHosts');
          const state = states.shift() ?? rest;
          if (state === 'error') throw new Error('socket hang up');
          return [host({ state, resourceState: 'Disabled' })];
        },
        reconnectHost: async () => (sent.push('reconnectHost'), host({ state: 'Disconnected', resourceState: 'Disabled' })),
        updateHostAllocation: async (_id: string, state: string) => void sent.push(`updateHost ${state}`),
      } as unknown as CloudStackClient;
      return { service: new HostEnableService(cloudstack, { CLOUDSTACK_TIMEOUT_MS: 100, CLOUDSTACK_RECONNECT_WAIT_MS: 400 }), sent };
    }
    const cutOff = host({ state: 'Alert', resourceState: 'Disabled' });

    it('enables once the host is Up, through the Disconnected and Connecting of the reconnect (and a passing Alert)', async () => {
      const { service, sent } = reconnecting(['Disconnected', 'Alert', 'Connecting', 'Up']);
      await expect(service.enable('h1', cutOff)).resolves.toMatchObject({ enabled: true });
      expect(sent).toEqual(['reconnectHost', 'listHosts', 'listHosts', 'listHosts', 'listHosts', 'updateHost Enable']);
    });

    it('tries a failed read again rather than failing the enable: one reconnect, then enabled', async () => {
      const { service, sent } = reconnecting(['error', 'Connecting', 'Up']);
      await expect(service.enable('h1', cutOff)).resolves.toMatchObject({ enabled: true });
      expect(sent.filter((c) => c === 'reconnectHost')).toHaveLength(1);
    });

    it('does not enable a host not Up when the wait ends, and says so with the fix (for good: a retry would reconnect again)', async () => {
      const { service, sent } = reconnecting(['Connecting'], 'Alert');
      const error = await service.enable('h1', cutOff).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostEnableError);
      expect(error).toMatchObject({ permanent: true, message: expect.stringMatching(/^host h1 is Alert, not Up, 0 s after reconnectHost; not enabled; fix: .*agent\.log/) });
      expect(sent).not.toContain('updateHost Enable');
      expect(sent.filter((c) => c === 'reconnectHost')).toHaveLength(1);
    });
  });
});

