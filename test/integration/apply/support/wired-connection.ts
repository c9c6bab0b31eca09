import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HostWorkflowPlan } from '@hostnet/apply';
import type { RenderedConfig } from '@hostnet/render';
import { withForeignConfigsNeutralised } from '../../../../libs/render/src/foreign/foreign-configs';
import type { PreviousFiles } from '../../../../libs/render/src/activation/activation-steps';
import { centosLinuxBridgeIntent } from '../../../../libs/render/test/fixtures/reference-intents';
import { bridgePlan } from './bridge-plan';
import type { SimRoot } from './sim-root';

/** The keyfile NetworkManager writes when a user saves its auto-default profile for eth0. */
export const WIRED = '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection';

/** Its bytes: no trailing newline and a non-ASCII byte, so only a byte-for-byte restore matches. */
export const WIRED_BYTES = Buffer.from('[connection]\nid=Wired connection 1\nuuid=5e0c3a6b-1f0d-3c8e-9a59-1f3f1b5c2d11\ntype=ethernet\ninterface-name=eth0\n\n[ipv4]\nmethod=auto\n# café', 'utf8');

/** Seeds the keyfile with NetworkManager's mode (600). */
export function seedWiredConnection(root: SimRoot): void {
  mkdirSync(dirname(root.path(WIRED)), { recursive: true });
  writeFileSync(root.path(WIRED), WIRED_BYTES);
  chmodSync(root.path(WIRED), 0o600);
}

/** The keyfile's bytes and mode as the host has them now. */
export function wiredOnHost(root: SimRoot): { bytes: Buffer; mode: number } {
  return { bytes: readFileSync(root.path(WIRED)), mode: statSync(root.path(WIRED)).mode & 0o7777 };
}

/**
 * bridgePlan's files and steps, with the other configs that name its interfaces neutralised as the
 * NetworkManager target does (withForeignConfigsNeutralised, from the files facts read): the on-host
 * scripts do not care which target made the plan, the keyfile is what is tested.
 */
export function neutralisingRender(previous: PreviousFiles): RenderedConfig {
  const base: RenderedConfig = { ...bridgePlan('x').render({} as never), target: 'networkmanager-linux' };
  return withForeignConfigsNeutralised(base, centosLinuxBridgeIntent, previous);
}

/** bridgePlan whose render neutralises the keyfile from the facts of the run. */
export function wiredPlan(runId: string): HostWorkflowPlan {
  return { ...bridgePlan(runId), render: (facts) => neutralisingRender(facts.files) };
}
