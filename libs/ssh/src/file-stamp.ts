import { statSync } from 'node:fs';

/**
 * A file's version as one string (inode, size, mtime and ctime), and its size: what the SSH files read once
 * and kept (private keys, known_hosts) compare to know they changed. ctime also moves on chmod and chown, so
 * a key made unreadable is read again (and refused) instead of served from memory. Throws stat's error.
 * Synchronous on purpose: it runs on every connect, and a stat of a local file takes microseconds, while the
 * promise form's round trip through the thread pool cost the worker about 5% of its CPU at 300 hosts.
 */
export function fileStamp(path: string): { version: string; size: number } {
  const st = statSync(path);
  return { version: `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`, size: st.size };
}
