/** One host's answer to a run request (api's HostTriggerResult): configure, add-host. */
export interface TriggerAnswer {
  hostId: string;
  hostName: string;
  runId?: string;
  enqueued: boolean;
  skipped?: string;
  joined?: string;
}

/** What a run request answers: 202 one answer (a host) or a list; 409/422 a host's refusal, or every host's answer in `results`. */
export type TriggerReply = TriggerAnswer | TriggerAnswer[] | { message?: string; hostId?: string; hostName?: string; results?: TriggerAnswer[] };

/** The answers of a reply; a refusal that names no host is said of `asked` (what the operator named). */
export function answersOf(answer: TriggerReply, asked = '?'): TriggerAnswer[] {
  if (Array.isArray(answer)) return answer;
  if ('enqueued' in answer) return [answer];
  if (answer.results) return answer.results;
  return [{ hostId: answer.hostId ?? asked, hostName: answer.hostName ?? answer.hostId ?? asked, enqueued: false, skipped: answer.message ?? 'api ran nothing' }];
}

/** One answer as a line: run started (`mode` queued), joined, or not run and why. */
export function answerLine(a: TriggerAnswer, mode: string): string {
  if (a.skipped !== undefined) return `${a.hostName}: not run: ${a.skipped}`;
  if (a.joined !== undefined) return `${a.hostName}: joined run ${a.runId ?? '?'}: ${a.joined}`;
  return `${a.hostName}: ${mode} queued, run ${a.runId ?? '?'} (hostnet host --host ${a.hostId} shows its result)`;
}

/** Exit 0 only when a run of this request started (a refusal can name the run that holds the host: not this request's). */
export function anyRunStarted(answers: readonly TriggerAnswer[]): boolean {
  return answers.some((a) => a.runId !== undefined && a.skipped === undefined);
}
