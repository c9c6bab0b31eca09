import { BOOT_RECOVER_SCRIPT, BOOT_RECOVER_UNIT, BOOT_RESUME_UNIT } from './recover.snippet';
import { RESTORE_SCRIPT } from './restore.script';
import { compactScript } from './script-command';

/** A run's restore.sh byte for byte as the apply script writes it. */
export const RESTORE_SH_AS_WRITTEN = compactScript(RESTORE_SCRIPT.trimEnd());

/**
 * The scripts and units the apply script writes into the run directory, by name (the names read_payload
 * accepts): restore.sh, and the boot hook it installs from there. They travel in the payload on stdin, not in
 * the apply command, which one SSH exec request caps (script-command.ts).
 */
export const RUN_SCRIPTS: ReadonlyArray<{ name: string; content: string }> = [
  { name: 'restore.sh', content: RESTORE_SH_AS_WRITTEN },
  { name: 'recover.sh', content: compactScript(BOOT_RECOVER_SCRIPT) },
  { name: 'hostnet-recover.service', content: BOOT_RECOVER_UNIT },
  { name: 'hostnet-resume.service', content: BOOT_RESUME_UNIT },
];
