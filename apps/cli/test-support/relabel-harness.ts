import type { Server } from 'node:http';
import type { CliIo } from '../src/cli-command';
import { relabelCommand } from '../src/commands/relabel.command';
import type { WatchOptions } from '../src/commands/relabel-status';
import { runCli } from '../src/main';
import { fakeApi, type SeenRequest } from './fake-api';

const servers: Server[] = [];

/** Closes the fake apis the harnesses started; call from afterEach. */
export function closeFakeApis(): void {
  servers.splice(0).forEach((s) => s.close());
}

/** `hostnet relabel …` against a fake api on 127.0.0.1, with what it printed; `tty` makes stdout a terminal. */
export async function relabelHarness(answer: (req: SeenRequest) => { status: number; body: unknown }, options: { tty?: CliIo['tty']; watch?: WatchOptions } = {}) {
  const fake = await fakeApi(answer);
  servers.push(fake.server);
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), ...(options.tty ? { tty: options.tty } : {}) };
  const run = (argv: string[], env: Record<string, string | undefined> = { API_TOKEN: 'tok-123', HOSTNET_API_URL: fake.url }) =>
    runCli(['relabel', ...argv], io, { relabel: { run: relabelCommand(() => env, options.watch), usage: 'relabel …' } });
  const sent = () => fake.seen.map((s) => ({ method: s.method, url: s.url, auth: s.authorization, ...(s.body ? { body: JSON.parse(s.body) as unknown } : {}) }));
  return { url: fake.url, sent, out, err, run };
}
