import { parentPort } from 'node:worker_threads';
import { SimulatedKvmHost } from '../simulated-kvm-host';
import type { HostThreadReply, HostThreadRequest, StartedInThread, ThreadStats } from './kvm-host-thread.protocol';

/** One thread of KvmHostThreads: starts, counts and stops the simulated hosts the pool gives it. */
const hosts = new Map<string, SimulatedKvmHost>();
/** Starts not answered yet: stopAll waits for them, or their hosts would outlive the thread's stop. */
const starting = new Set<Promise<SimulatedKvmHost>>();
const port = parentPort;
if (!port) throw new Error('kvm-host-thread.main runs as a worker thread of KvmHostThreads');

async function answer(request: HostThreadRequest): Promise<unknown> {
  switch (request.op) {
    case 'start': {
      const start = SimulatedKvmHost.start(request.options);
      starting.add(start);
      const host = await start.finally(() => starting.delete(start));
      hosts.set(host.name, host);
      const spawnerPid = SimulatedKvmHost.execSpawnerPid();
      return { name: host.name, persona: host.persona, rootDir: host.rootDir, endpoint: host.endpoint, knownHostsLine: host.knownHostsLine(), ...(spawnerPid ? { spawnerPid } : {}) } satisfies StartedInThread;
    }
    case 'stats':
      return Object.fromEntries([...hosts].map(([name, host]) => [name, { ...host.stats }])) satisfies ThreadStats;
    case 'stop':
      await hosts.get(request.name)?.stop();
      hosts.delete(request.name);
      return undefined;
    case 'stopAll': {
      await Promise.allSettled([...starting]);
      const stopped = await Promise.allSettled([...hosts.values()].map((host) => host.stop()));
      hosts.clear();
      const failures = stopped.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
      if (failures.length > 0) throw new Error(`stopping simulated hosts failed: ${failures.join('; ')}`);
      return undefined;
    }
  }
}

port.on('message', (request: HostThreadRequest) => {
  answer(request).then(
    (value) => port.postMessage({ id: request.id, value } satisfies HostThreadReply),
    (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies HostThreadReply),
  );
});
