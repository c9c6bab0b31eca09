import { CloudStackApiError, CloudStackNetworkError, type CloudStackClient, type KvmHost } from '@hostnet/cloudstack';
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

  describe('one reconnect per verified run, whatever becomes of the call', () => {
    const cutOff = host({ state: 'Disconnected', resourceState: 'Disabled' });
    /** reconnectHost fails with `failure`; the host is listed in `states`, then Up. */
    function failing(failure: Error, states: KvmHost['state'][]) {
      const sent: string[] = [];
      const cloudstack = {
        listHosts: async () => (sent.push('listHosts'), [host({ state: states.shift() ?? 'Up', resourceState: 'Disabled' })]),
        reconnectHost: async () => {
          sent.push('reconnectHost');
          throw failure;
        },
        updateHostAllocation: async (_id: string, state: string) => void sent.push(`updateHost ${state}`),
      } as unknown as CloudStackClient;
      const recorded: (string | undefined)[] = [];
      const reconnect = (sentAt?: string) => ({ sentAt, record: async (at: string | undefined) => void recorded.push(at === undefined ? undefined : `${at}@${sent.length}`) });
      return { service: new HostEnableService(cloudstack, { CLOUDSTACK_TIMEOUT_MS: 100, CLOUDSTACK_RECONNECT_WAIT_MS: 400 }), sent, recorded, reconnect };
    }
    const timeout = new CloudStackNetworkError({ command: 'reconnectHost', params: {}, timedOut: true, code: 'ECONNABORTED', message: 'CloudStack reconnectHost timed out' });

    it('records the reconnect on the run before sending it', async () => {
      const { service, sent, recorded, reconnect } = failing(timeout, ['Disconnected', 'Up']);
      await service.enable('h1', cutOff, undefined, true, reconnect());
      expect(recorded).toEqual([expect.stringMatching(/@0$/)]);
      expect(sent[0]).toBe('reconnectHost');
    });

    it('waits for an unanswered reconnect (the host shows Disconnected during its back-off) instead of failing for a retry that would send another', async () => {
      const { service, sent, reconnect } = failing(timeout, ['Disconnected', 'Connecting', 'Up']);
      await expect(service.enable('h1', cutOff, undefined, true, reconnect())).resolves.toMatchObject({ enabled: true });
      expect(sent).toEqual(['reconnectHost', 'listHosts', 'listHosts', 'listHosts', 'updateHost Enable']);
    });

    it('never sends a reconnect an earlier attempt sent: it waits for Up, then enables', async () => {
      const { service, sent, recorded, reconnect } = failing(timeout, ['Connecting', 'Up']);
      await expect(service.enable('h1', cutOff, undefined, true, reconnect('2026-12-08T00:00:00.000Z'))).resolves.toMatchObject({ enabled: true });
      expect(sent).toEqual(['listHosts', 'listHosts', 'updateHost Enable']);
      expect(recorded).toEqual([]);
    });

    it('says an earlier attempt sent it when the host is still not Up, for good', async () => {
      const { service, sent, reconnect } = failing(timeout, Array(50).fill('Disconnected'));
      const error = await service.enable('h1', cutOff, undefined, true, reconnect('2026-12-08T00:00:00.000Z')).catch((e: unknown) => e);
      expect(error).toMatchObject({ permanent: true, message: expect.stringMatching(/earlier attempt sent at 2026-12-08T00:00:00.000Z \(one reconnect per verified run: not sent again\)/) });
      expect(sent).not.toContain('reconnectHost');
    });

    it('takes the record back for a call that was provably not carried out (never sent, or CloudStack answered an error); a call whose answer could not be read keeps it', async () => {
      const refused = failing(new CloudStackNetworkError({ command: 'reconnectHost', params: {}, timedOut: false, code: 'ECONNREFUSED', message: 'refused' }), []);
      await expect(refused.service.enable('h1', cutOff, undefined, true, refused.reconnect())).rejects.toMatchObject({ permanent: false });
      expect(refused.recorded).toEqual([expect.stringMatching(/@0$/), undefined]);
      const answered = failing(new CloudStackApiError({ command: 'reconnectHost', params: {}, httpStatus: 530, errorText: 'agent busy' }), []);
      await expect(answered.service.enable('h1', cutOff, undefined, true, answered.reconnect())).rejects.toThrow('agent busy');
      expect(answered.recorded).toEqual([expect.stringMatching(/@0$/), undefined]);
      const garbled = failing(new Error('unexpected end of JSON input'), []);
      await expect(garbled.service.enable('h1', cutOff, undefined, true, garbled.reconnect())).rejects.toThrow('unexpected end of JSON input');
      expect(garbled.recorded).toEqual([expect.stringMatching(/@0$/)]);
    });
  });
});
