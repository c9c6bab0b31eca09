import { parsePingLog, summarizePingLoss } from './ping-log.parser';

const T = 1_800_000_000; // seconds
const at = (ms: number) => `[${((T * 1000 + ms) / 1000).toFixed(6)}]`;
const reply = (seq: number, ms: number) => `${at(ms)} 64 bytes from 10.255.1.1: icmp_seq=${seq} ttl=64 time=0.101 ms`;
const silent = (seq: number, ms: number) => `${at(ms)} no answer yet for icmp_seq=${seq}`;

/** ping -D -O -i 0.05: seq 1-2 answered, 3-5 lost, 6 answered late, 7-8 answered, 9 unanswered when ping stopped. */
const LOG = [
  'PING 10.255.1.1 (10.255.1.1) 56(84) bytes of data.',
  reply(1, 0),
  reply(2, 50),
  silent(3, 150),
  silent(4, 200),
  silent(5, 250),
  silent(6, 300),
  reply(6, 320),
  reply(7, 350),
  reply(8, 400),
  '',
  '--- 10.255.1.1 ping statistics ---',
  '9 packets transmitted, 5 received, 44.4444% packet loss, time 400ms',
].join('\n');

describe('ping log parser', () => {
  const stoppedAt = T * 1000 + 460;

  it('counts sent, received and lost packets, and the longest gap between replies', () => {
    const summary = summarizePingLoss(parsePingLog(LOG), { intervalMs: 50, stoppedAt, inFlightMs: 100, windows: [] });
    // 9 is unanswered but left less than inFlightMs before the stop: in flight, not lost
    expect(summary).toMatchObject({ sent: 9, received: 5, lost: 3, longestGapMs: 270, lostOutside: 3 });
    expect(summarizePingLoss(parsePingLog(LOG), { intervalMs: 50, stoppedAt, inFlightMs: 0, windows: [] })).toMatchObject({ lost: 4, lostOutside: 4 });
  });

  it('places each lost packet at its send time and counts only those outside every window', () => {
    const windows = [{ from: T * 1000 + 140, to: T * 1000 + 210 }];
    const summary = summarizePingLoss(parsePingLog(LOG), { intervalMs: 50, stoppedAt: stoppedAt + 2000, inFlightMs: 1000, windows });
    expect(summary).toMatchObject({ lost: 4, lostOutside: 2 });
    // 3 was sent at 100 (before the window), 9 at 8's time + one interval (after it)
    expect(summary.lostOutsideAt).toEqual([T * 1000 + 100, T * 1000 + 450]);
  });

  it('without closing statistics (killed hard), sent is the highest sequence seen; silence up to the stop is a gap', () => {
    const cut = LOG.split('\n').slice(0, 10).join('\n');
    expect(summarizePingLoss(parsePingLog(cut), { intervalMs: 50, stoppedAt: stoppedAt + 2000, inFlightMs: 1000, windows: [] })).toMatchObject({ sent: 8, lost: 3, longestGapMs: 2060 });
  });
});
