import { readFile } from 'node:fs/promises';
import { parseProfileSet, ProfileLoadError } from './profile-set.parser';
import type { ProfileSet } from './host-profile.schema';

/** Reads and validates a profile file (the only I/O in libs/intent). */
export async function loadProfileSetFile(path: string): Promise<ProfileSet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new ProfileLoadError(path, [{ path: '(file)', message: `cannot be read (${code}); fix: check the path and permissions` }]);
  }
  return parseProfileSet(text, path);
}
