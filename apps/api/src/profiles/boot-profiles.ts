import { ConfigError } from '@hostnet/config';
import { loadProfileSetFile, ProfileLoadError, type ProfileSet } from '@hostnet/intent';

/**
 * HOSTNET_PROFILES read and validated before Nest starts: a missing or bad file stops api in the same
 * "invalid configuration" block as every other variable, naming the variable, the file and the fix
 * (inside Nest's start it ended in a stack trace that named neither).
 */
export async function loadBootProfiles(file: string): Promise<ProfileSet> {
  try {
    return await loadProfileSetFile(file);
  } catch (error) {
    if (!(error instanceof ProfileLoadError)) throw error;
    throw new ConfigError(error.issues.map((issue) => `HOSTNET_PROFILES (${file}): ${issue.path}: ${issue.message}`));
  }
}
