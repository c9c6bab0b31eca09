import { CliCommand, CliIo, CliUsageError, EXIT_FAILURE, EXIT_OK } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { ApiClient, apiTokenOf, apiUrlFrom, messageOf, requiredFlag } from '../api-client';
import { printableLines } from '../terminal-text';
import { answerLine, answersOf, anyRunStarted, type TriggerReply } from './trigger-answer';

/** Where the SSH password CloudStack's addHost logs in with comes from: never a flag (shell history, ps). */
export const HOST_PASSWORD_ENV = 'HOSTNET_HOST_PASSWORD';

/** Usage line of `hostnet add-host`. */
export const ADD_HOST_USAGE =
  `hostnet add-host --zone ID|NAME --pod ID|NAME --cluster ID|NAME --name HOST --ip IPV4 --username USER [--requested-by NAME] [--api-url URL] [--json]  (token from env API_TOKEN, the host's SSH password from env ${HOST_PASSWORD_ENV})`;

/** Each flag and the field of POST /hosts/add it fills, so api's errors about a field name the flag. */
const FIELDS = { zone: 'zoneId', pod: 'podId', cluster: 'clusterId', name: 'name', ip: 'ipAddress', username: 'username' } as const;
const WHAT: Record<keyof typeof FIELDS, string> = {
  zone: 'the CloudStack zone (id or name) the host joins',
  pod: 'the pod (id or name) the host joins, in that zone',
  cluster: 'the KVM cluster (id or name) the host joins, in that pod',
  name: 'the host name CloudStack will show, e.g. --name kvm21',
  ip: 'the IPv4 address the host will have on the management network, e.g. --ip 192.168.100.21',
  username: 'the SSH user CloudStack logs in with to install its agent, e.g. --username root',
};

/**
 * `hostnet add-host`: POST /hosts/add. hostnet configures the new host's network first (through its SSH endpoint),
 * then CloudStack adds it Disabled, then hostnet enables it once verified; this prints the run queued (the host is
 * `pending-<ip>` until CloudStack adds it) and returns. Exit 2 when api ran nothing (already in CloudStack, refused).
 */
export function addHostCommand(env: () => Record<string, string | undefined> = () => process.env): CliCommand {
  return async (argv: string[], io: CliIo): Promise<number> => {
    const flags = parseFlags(argv, ['api-url', ...Object.keys(FIELDS), 'requested-by'], ['json']);
    const fields = Object.fromEntries(Object.entries(FIELDS).map(([flag, field]) => [field, requiredFlag(flags[flag], `--${flag}`, WHAT[flag as keyof typeof FIELDS])]));
    const password = env()[HOST_PASSWORD_ENV];
    if (!password) throw new CliUsageError(`${HOST_PASSWORD_ENV} is not set: export the SSH password of --username on the new host (CloudStack's addHost logs in with it; it is never a flag, flags land in shell history)`);
    const api = new ApiClient(apiUrlFrom(flags['api-url'], env()), apiTokenOf(env()));
    const body = { ...fields, password, ...(flags['requested-by'] ? { requestedBy: flags['requested-by'] } : {}) };
    const { status, body: answer } = await api.answer<TriggerReply>('POST', '/hosts/add', body, [202, 400, 409, 422]);
    if (status === 400) throw new CliUsageError(flagsNamed(messageOf(JSON.stringify(answer))));
    const answers = answersOf(answer, fields.name);
    io.stdout(flags.json ? `${JSON.stringify(answers, null, 2)}\n` : answers.map((a) => `${printableLines(answerLine(a, 'add'))}\n`).join(''));
    return anyRunStarted(answers) ? EXIT_OK : EXIT_FAILURE;
  };
}

/** api's `body.ipAddress: …` as the flag the operator typed: `--ip: …`. */
function flagsNamed(message: string): string {
  return Object.entries(FIELDS).reduce((text, [flag, field]) => text.replaceAll(`body.${field}:`, `--${flag}:`), message.replaceAll(`body.password:`, `${HOST_PASSWORD_ENV}:`));
}
