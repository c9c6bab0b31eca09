import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AGENT_RESTART_MARKER, isWord, type AgentRestartWhen } from '@hostnet/apply';
import { AGENT_RESTART_SCRIPT } from '@hostnet/apply/scripts/agent-restart.script';
import { scriptCommand } from '@hostnet/apply/scripts/script-command';
import type { LeanHostDir } from './lean-host-dir';

const BARE = scriptCommand('agent-restart', AGENT_RESTART_SCRIPT);

/** The job key and mode of an agent restart command the worker sends, when `command` is exactly one. */
export function agentRestartOf(command: string): { key: string; when: AgentRestartWhen } | undefined {
  if (!command.startsWith(BARE)) return undefined;
  const words = command.slice(BARE.length).trim().split(' ').map((w) => w.replace(/^'(.*)'$/, '$1'));
  const [key = '', when = 'always'] = words;
  if (words.length > 2 || !isWord(key) || (when !== 'always' && when !== 'if-running')) return undefined;
  return scriptCommand('agent-restart', AGENT_RESTART_SCRIPT, key, when) === command || scriptCommand('agent-restart', AGENT_RESTART_SCRIPT, key) === command ? { key, when } : undefined;
}

/**
 * agent-restart.script.ts's answer on a simulated host: its agent always runs (the systemctl stand-in answers
 * every is-active `active`) and restarts at once; the marker is written as the script writes it.
 */
export function leanAgentRestart(host: LeanHostDir, key: string): { stdout: string; code: number } {
  const marker = host.at(AGENT_RESTART_MARKER);
  let kept = '';
  try {
    kept = readFileSync(marker, 'utf8');
  } catch {
    // no earlier restart
  }
  if (kept === `${key}\n`) return { stdout: 'already\n', code: 0 };
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(`${marker}.tmp`, `${key}\n`);
  renameSync(`${marker}.tmp`, marker);
  return { stdout: 'restarted\n', code: 0 };
}
