import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveState } from '@hostnet/intent';
import type { SimulatedKvmHost } from '../../apps/simulator/src/kvm-host';

/** Rewrites a simulated host's live state as the kernel would run it (the stand-ins' own writer refreshes the cached ip answers). */
export function editLive(kvm: SimulatedKvmHost, edit: (state: LiveState) => LiveState): void {
  const sim = join(kvm.rootDir, '.sim');
  const state = JSON.parse(readFileSync(join(sim, 'live-state.json'), 'utf8')) as LiveState;
  (require(join(sim, 'lib/sim-state.js')) as { writeState: (state: LiveState, dir: string) => void }).writeState(edit(state), sim);
}

/**
 * The default route gone: live drift only `netplan apply` repairs. A forced run on a netplan host hostnet configured
 * with nothing drifted is a re-check that applies nothing, so specs that need its `netplan apply` to run (and fail)
 * take the route away first.
 */
export const withoutDefaultRoute = (state: LiveState): LiveState => ({ ...state, routes: state.routes.filter((r) => r.to !== 'default') });
