import { open } from 'node:fs/promises';
import { MAX_PROFILE_FILE_BYTES, parseProfileSet, profileFileTooLarge, ProfileLoadError } from './profile-set.parser';
import type { ProfileSet } from './host-profile.schema';

/**
 * Reads and validates a profile file (the only I/O in libs/intent). A file over
 * MAX_PROFILE_FILE_BYTES is refused before it is read, and never read past the limit.
 */
export async function loadProfileSetFile(path: string): Promise<ProfileSet> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_PROFILE_FILE_BYTES) throw profileFileTooLarge(path, size);
      const chunks: Buffer[] = [];
      let length = 0;
      for (;;) {
        const chunk = Buffer.allocUnsafe(Math.max(64 * 1024, size + 1 - length));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        length += bytesRead;
        // Grew past the limit since stat (still being written?): refuse rather than read on.
        if (length > MAX_PROFILE_FILE_BYTES) throw profileFileTooLarge(path, length);
      }
      text = Buffer.concat(chunks, length).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof ProfileLoadError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new ProfileLoadError(path, [{ path: '(file)', message: `cannot be read (${code}); fix: check the path and permissions` }]);
  }
  return parseProfileSet(text, path);
}
