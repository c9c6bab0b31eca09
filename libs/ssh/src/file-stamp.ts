import { stat } from 'node:fs/promises';

/**
 * A file's version as one string (inode, size, mtime in ns resolution), and its size: what the SSH files
 * read once and kept (private keys, known_hosts) compare to know they changed. Throws stat's error.
 */
export async function fileStamp(path: string): Promise<{ version: string; size: number }> {
  const st = await stat(path);
  return { version: `${st.ino}:${st.size}:${st.mtimeMs}`, size: st.size };
}
