import { paramDifferences, type ParamDifference } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveBridgeParams, LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import type { ApplyStep } from '../domain/rendered-config';
import { assertIfName, assertInt, assertOneOf } from '../validation/render-guard';

/** Bond parameters the bonding driver changes on a running bond with members (no BOND_OPTFLAG_IFDOWN in bond_options.c). */
export const LIVE_BOND_PARAMS = new Set(['miimon', 'xmit_hash_policy']);

/** The bonding driver's xmit_hash_policy names (bond_xmit_hashtype_tbl): an undo sets back what facts read. */
const XMIT_HASH_POLICIES = ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac'];

/** `ip link set dev L type bond|bridge PARAM VALUE`, the value checked: it may come from the host's own output. */
function paramStep(name: string, d: ParamDifference, value: string): ApplyStep {
  const dev = assertIfName(`live link ${d.link}`, d.link);
  const field = `${d.type} ${d.param} of ${d.link}`;
  const word = d.param === 'xmit_hash_policy' ? assertOneOf(field, value, XMIT_HASH_POLICIES) : String(assertInt(field, Number(value), 0, 2 ** 31 - 1));
  return { name, argv: ['ip', 'link', 'set', 'dev', dev, 'type', d.type, d.param, word], phase: 'activate' };
}

/**
 * A bridge's STP and forward delay in the order the kernel takes them: while STP is on the forward delay must
 * stay within 2–30 s (ERANGE otherwise, probed on this machine's kernel), so STP goes off before the delay is
 * set and comes on after it.
 */
function bridgeOrder(to: LiveBridgeParams, diffs: ParamDifference[]): ParamDifference[] {
  const stp = diffs.filter((d) => d.key === 'stp');
  const delay = diffs.filter((d) => d.key === 'forwardDelay');
  return to.stp === false ? [...stp, ...delay] : [...delay, ...stp];
}

/** A forward step of linkParamSteps (the undo's are `param-back-`). */
export const isParamStep = (step: ApplyStep): boolean => step.name.startsWith('param-') && !step.name.startsWith('param-back-');

/** The step that sets one parameter to `value`, the undo's named `param-back-`. */
const stepFor = (d: ParamDifference, value: string, back: boolean) => paramStep(`param-${back ? 'back-' : ''}${d.link}-${d.param.replace(/_/g, '-')}`, d, value);

/**
 * Linux bridge: the parameters of the intent's bonds and bridges that run otherwise now, set live after the
 * activation: systemd-networkd does not change an existing netdev's parameters ("netdev exists, using existing
 * without changing its parameters", systemd #9627, #36406), nor does ifup on a bond or bridge that already
 * runs, so with unchanged or re-read files the old values stayed. Only those the kernel changes on a running
 * device: a bond's miimon and xmit_hash_policy, a bridge's stp_state and forward_delay (a bond's mode and
 * lacp_rate need it down: bond-params.guard.ts refuses those). The undo sets back the values facts read,
 * before the old files are re-activated. Devices the run creates get theirs from their files.
 */
export function linkParamSteps(intent: HostNetworkIntent, live: LiveState, expected: LiveState = expectedLiveState(intent)): { steps: ApplyStep[]; undo: ApplyStep[] } {
  const running = new Map(live.links.map((l) => [l.name, l]));
  const steps: ApplyStep[] = [];
  const undo: ApplyStep[] = [];
  for (const want of expected.links) {
    const have = running.get(want.name);
    if (!have || have.kind !== want.kind || (want.kind !== 'bond' && want.kind !== 'bridge')) continue;
    const diffs = paramDifferences(want, have).filter((d) => d.type === 'bridge' || LIVE_BOND_PARAMS.has(d.param));
    const forward = want.kind === 'bridge' ? bridgeOrder(want.bridge ?? {}, diffs) : diffs;
    const backward = want.kind === 'bridge' ? bridgeOrder(have.bridge ?? {}, diffs) : diffs;
    steps.push(...forward.map((d) => stepFor(d, d.want, false)));
    undo.push(...backward.filter((d) => d.have !== undefined).map((d) => stepFor(d, d.have!, true)));
  }
  return { steps, undo };
}
