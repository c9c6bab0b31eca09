import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '@hostnet/config';
import { NOT_A_PRIVATE_KEY, parsePrivateKey } from '@hostnet/ssh';
import type { WorkerConfig } from './worker-config';

type SshFileConfig = Pick<WorkerConfig, 'HOSTNET_SSH_KEY' | 'HOSTNET_KNOWN_HOSTS' | 'HOSTNET_TRUST_ON_FIRST_USE'>;

/**
 * At start, the files every SSH connect needs: a path that is wrong would otherwise fail each host's run
 * one by one, long after the worker said it started. Names the variable, the path and the fix.
 */
export function assertSshFiles(config: SshFileConfig): void {
  const problems = [keyProblem(config.HOSTNET_SSH_KEY), knownHostsProblem(config)].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new ConfigError(problems);
}

function keyProblem(path: string): string | undefined {
  const problem = entryProblem(path, 'file', constants.R_OK) ?? (parsePrivateKey(readFileSync(path)) ? undefined : NOT_A_PRIVATE_KEY);
  return problem && `HOSTNET_SSH_KEY: ${path} ${problem}; point it at the private key hostnet logs in to the hosts with`;
}

function knownHostsProblem(config: SshFileConfig): string | undefined {
  const path = config.HOSTNET_KNOWN_HOSTS;
  if (!config.HOSTNET_TRUST_ON_FIRST_USE) {
    const problem = entryProblem(path, 'file', constants.R_OK);
    return problem && `HOSTNET_KNOWN_HOSTS: ${path} ${problem}; write the hosts' keys there (ssh-keyscan), or set HOSTNET_TRUST_ON_FIRST_USE=true to record each host's key at its first connect`;
  }
  // Trust on first use records keys there: the file may be new, its directory must take it.
  if (entryProblem(path, 'file', constants.R_OK | constants.W_OK) === undefined) return undefined;
  const dir = dirname(path);
  const problem = entryProblem(dir, 'directory', constants.W_OK);
  return problem && `HOSTNET_KNOWN_HOSTS: its directory ${dir} ${problem}; create it, or point HOSTNET_KNOWN_HOSTS elsewhere`;
}

/** Why `path` is not a `kind` this process may use with `mode`, or undefined when it is. */
function entryProblem(path: string, kind: 'file' | 'directory', mode: number): string | undefined {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 'does not exist';
  if (kind === 'file' ? !stat.isFile() : !stat.isDirectory()) return `is not a ${kind}`;
  try {
    accessSync(path, mode);
    return undefined;
  } catch (error) {
    return `cannot be ${mode & constants.W_OK ? 'written' : 'read'} by this process (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}
