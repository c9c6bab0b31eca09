import { exampleInputs } from '../../test-support/intent-fixtures';
import { tryBuildHostIntent } from './host-intent.builder';

const P = 'profiles.el7-linux-bridge';

function onMessage(...extras: { name: string; on: string; vlan?: number }[]): string | undefined {
  const inputs = exampleInputs('el7-linux-bridge');
  inputs.profileSet.profiles['el7-linux-bridge'].extras!.push(...extras);
  const result = tryBuildHostIntent(inputs);
  return result.ok ? undefined : result.violations.find((v) => /^profiles\.el7-linux-bridge\.extras\[\d\]\.on$/.test(v.field))?.message;
}

describe("an extra named like a label's bridge", () => {
  it('says the name collides with the label\'s bridge, not that the bridge does not exist', () => {
    expect(onMessage({ name: 'cloudbr0', on: 'cloudbr0', vlan: 200 })).toBe(
      `${P}.extras[1].on: "cloudbr0" is this extra's own name, which collides with label cloudbr0's bridge (Management, Guest traffic): the extra becomes that bridge, on a VLAN, and cannot ride on itself; fix: give this extra a name that is not a CloudStack label, or put this extra on one of cloudbr1, cloudbr100, bond0, bond1`,
    );
  });

  it('names the later extra that takes the label when one rides on it', () => {
    expect(onMessage({ name: 'cloudbr7', on: 'cloudbr0', vlan: 300 }, { name: 'cloudbr0', on: 'bond0', vlan: 200 })).toBe(
      `${P}.extras[1].on: "cloudbr0" is label cloudbr0's bridge (Management, Guest traffic), which ${P}.extras[2] (named cloudbr0) replaces with a VLAN bridge, so it carries no other extra; fix: give ${P}.extras[2] a name that is not a CloudStack label, or put this extra on one of cloudbr1, cloudbr100, bond0, bond1`,
    );
  });

  it('keeps the plain message for a device the profile does not have', () => {
    expect(onMessage({ name: 'cloudbr7', on: 'bond7', vlan: 300 })).toBe(`${P}.extras[1].on: "bond7" is not a bridge or uplink of this profile; fix: use one of cloudbr0, cloudbr1, cloudbr100, bond0, bond1`);
  });
});
