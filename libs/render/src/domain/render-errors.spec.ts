import { expectPermanent, thrown } from '../../../../test/support/error-expectations';
import { centosOvsIntent } from '../../test/fixtures/reference-intents';
import { renderHost } from '../render-host';
import { assumedOsFacts } from '../select/assumed-os-facts';
import { selectTarget } from '../select/target-selector';
import { assertIfName } from '../validation/render-guard';
import { InvalidIntentValueError, RenderError, UnsupportedBackendError, UnsupportedHostOsError } from './render-errors';

/** Every render failure is permanent: the same intent and facts fail the same way on every retry. */
describe('render errors are permanent and name the field and the fix', () => {
  it('RenderError: an unusable --os names the flag and the format', () => {
    const error = thrown(() => assumedOsFacts('centos7'));
    expectPermanent(error, RenderError);
    expect(error.message).toBe('--os "centos7": write os-release ID:VERSION_ID, e.g. centos:7, rocky:9, ubuntu:22.04, debian:12');
  });

  it('InvalidIntentValueError names the intent field', () => {
    const error = thrown(() => assertIfName('bonds[0].name', 'bond0;reboot'));
    expectPermanent(error, InvalidIntentValueError);
    expect(error).toMatchObject({ field: 'bonds[0].name' });
    expect(error.message).toMatch(/^intent field bonds\[0\]\.name: "bond0;reboot" is not a valid interface name/);
  });

  it('UnsupportedHostOsError names the os-release values and the supported list', () => {
    const error = thrown(() => selectTarget({ ...assumedOsFacts('centos:7'), osRelease: { id: 'centos', idLike: [], versionId: '6' } }, 'linux'));
    expectPermanent(error, UnsupportedHostOsError);
    expect(error.message).toMatch(/unsupported host OS \(ID="centos" ID_LIKE="" VERSION_ID="6"\): EL releases before 7 are not supported; supported: /);
  });

  it('UnsupportedBackendError: OVS without openvswitch says what to install', () => {
    const error = thrown(() => selectTarget({ ...assumedOsFacts('ubuntu:22.04'), hasOpenvswitch: false }, 'ovs'));
    expectPermanent(error, UnsupportedBackendError);
    expect(error.message).toMatch(/install openvswitch .* or choose backend linux/);
  });

  it('UnsupportedBackendError: a target of the other backend names both', () => {
    const error = thrown(() => renderHost(centosOvsIntent, 'el-network-scripts-linux'));
    expectPermanent(error, UnsupportedBackendError);
    expect(error.message).toBe("target el-network-scripts-linux renders backend linux but the intent's backend is ovs; fix: render it for target el-network-scripts-ovs, or build the intent for backend linux");
  });
});
