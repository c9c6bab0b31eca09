import { shellJoin } from '@hostnet/ssh';

/** The command line that runs one static on-host script; its dynamic input goes on stdin. */
export function scriptCommand(name: string, script: string): string {
  return shellJoin(['sh', '-c', script, `hostnet-${name}`]);
}
