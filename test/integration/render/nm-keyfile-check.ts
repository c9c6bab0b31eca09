import { run, type ToolRun } from './tool-harness';

/** `nmcli --offline connection modify` reads a keyfile on stdin, validates and normalises it, and prints it. */
export const nmcliCheck = (content: string): ToolRun => run(['nmcli', '--offline', 'connection', 'modify', 'connection.autoconnect', 'yes'], { input: content });

/** A normalised keyfile without the empty sections NetworkManager adds (ours omits them). */
export const withoutEmptySections = (keyfile: string): string =>
  `${keyfile.trim().split('\n\n').filter((block) => block.includes('\n')).join('\n\n')}\n`;

/**
 * key=value lines of ours that normalisation dropped or changed: NetworkManager silently replaces some
 * invalid values (an unknown bond mode becomes balance-rr), so exit 0 alone does not mean accepted.
 */
export const lostLines = (content: string, normalised: string): string[] =>
  content.split('\n').filter((l) => l.includes('=') && !normalised.split('\n').includes(l));
