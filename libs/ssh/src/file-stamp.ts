import { stat } from 'node:fs/promises';

/**
 * A file's version as one string (inode, size, mtime and ctime), and its size: what the SSH files read once
 * and kept (private keys, known_hosts) compare to know they changed. ctime also moves on chmod and chown, so
 * a key made unreadable is read again (and refused) instead of served from memory. Throws stat's error.
 */
export async function fileStamp(path: string): Promise<{ version: string; size: number }> {
  const st = await stat(path);
  return { version: `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`, size: st.size };
}
