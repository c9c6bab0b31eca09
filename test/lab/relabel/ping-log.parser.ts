/** What `ping -D -O` printed: reply and "no answer yet" times per icmp_seq (epoch ms), and its count of sent packets. */
export interface PingLog {
  replies: Map<number, number>;
  noAnswer: Map<number, number>;
  /** From ping's closing statistics; absent when it was killed before printing them. */
  transmitted?: number;
}

/** A span (epoch ms, both ends included) in which losses are allowed: the host's own maintenance. */
export interface LossWindow {
  from: number;
  to: number;
}

/** One pinger's account of a rollout. */
export interface PingLossSummary {
  sent: number;
  received: number;
  lost: number;
  /** Longest time between two consecutive replies, or from the last reply to the stop (a VM cut off for good). */
  longestGapMs: number;
  /** Lost packets sent outside every window, and when (epoch ms, first 20). */
  lostOutside: number;
  lostOutsideAt: number[];
}

const REPLY = /^\[(\d+\.\d+)\] \d+ bytes from [^:]+: icmp_seq=(\d+) /;
const NO_ANSWER = /^\[(\d+\.\d+)\] no answer yet for icmp_seq=(\d+)/;
const STATS = /^(\d+) packets transmitted, (\d+) received/;

/** Parses the output of `ping -D -O` (iputils); lines of any other shape are ignored. */
export function parsePingLog(text: string): PingLog {
  const log: PingLog = { replies: new Map(), noAnswer: new Map() };
  for (const line of text.split('\n')) {
    const reply = REPLY.exec(line);
    if (reply) log.replies.set(Number(reply[2]), Number(reply[1]) * 1000);
    const silent = NO_ANSWER.exec(line);
    if (silent && !log.noAnswer.has(Number(silent[2]))) log.noAnswer.set(Number(silent[2]), Number(silent[1]) * 1000);
    const stats = STATS.exec(line);
    if (stats) log.transmitted = Number(stats[1]);
  }
  return log;
}

/**
 * Counts what was lost and when it was sent. A packet's send time is its reply's time, else its "no answer
 * yet" time less one interval (-O prints it when the next packet leaves), else the nearest known packet's
 * time shifted by whole intervals. Packets sent within `inFlightMs` of `stoppedAt` were still in flight
 * when the pinger stopped: not lost.
 */
export function summarizePingLoss(log: PingLog, options: { intervalMs: number; stoppedAt: number; inFlightMs: number; windows: LossWindow[] }): PingLossSummary {
  const { intervalMs } = options;
  const seen = [...log.replies.keys(), ...log.noAnswer.keys()];
  const sent = log.transmitted ?? (seen.length ? Math.max(...seen) : 0);
  const known = new Map<number, number>([...[...log.noAnswer].map(([seq, at]) => [seq, at - intervalMs] as const), ...log.replies]);
  const anchors = [...known.keys()].sort((a, b) => a - b);
  const sentAt = (seq: number): number => {
    const exact = known.get(seq);
    if (exact !== undefined) return exact;
    const below = anchors.filter((a) => a < seq).at(-1);
    const anchor = below ?? anchors.find((a) => a > seq);
    return anchor === undefined ? options.stoppedAt : known.get(anchor)! + (seq - anchor) * intervalMs;
  };
  const lostAt: number[] = [];
  for (let seq = 1; seq <= sent; seq += 1) {
    if (log.replies.has(seq)) continue;
    const at = sentAt(seq);
    if (at < options.stoppedAt - options.inFlightMs) lostAt.push(at);
  }
  const outside = lostAt.filter((at) => !options.windows.some((w) => at >= w.from && at <= w.to));
  const times = [...[...log.replies.values()].sort((a, b) => a - b), ...(log.replies.size ? [options.stoppedAt] : [])];
  const longestGapMs = times.slice(1).reduce((most, t, i) => Math.max(most, t - times[i]!), 0);
  return { sent, received: log.replies.size, lost: lostAt.length, longestGapMs, lostOutside: outside.length, lostOutsideAt: outside.slice(0, 20) };
}
