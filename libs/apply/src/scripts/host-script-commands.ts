import { APPLY_SCRIPT } from './apply.script';
import { CONFIRM_SCRIPT } from './confirm.script';
import { FACTS_SCRIPT } from './facts.script';
import { scriptCommand } from './script-command';
import { VERIFY_SCRIPT } from './verify.script';

/** The exact command line of each on-host script the worker runs: one exec each, input on stdin. */
export const HOST_SCRIPT_COMMANDS = {
  facts: scriptCommand('facts', FACTS_SCRIPT),
  apply: scriptCommand('apply', APPLY_SCRIPT),
  verify: scriptCommand('verify', VERIFY_SCRIPT),
  confirm: scriptCommand('confirm', CONFIRM_SCRIPT),
} as const;

export type HostScriptName = keyof typeof HOST_SCRIPT_COMMANDS;
