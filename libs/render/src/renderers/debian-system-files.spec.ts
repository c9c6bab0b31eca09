import { centosOvsIntent, ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
import { renderPlan } from '../domain/file-plan';
import { MODULES_LOAD_PATH, modulesLoad } from './debian-system-files';

describe('modulesLoad: the boot modules drop-in (never /etc/modules)', () => {
  it('linux bridges with bonds need bonding and bridge; OVS with bonds only bonding', () => {
    expect(renderPlan(modulesLoad(ubuntuLinuxBridgeIntent))).toEqual({ files: [{ path: MODULES_LOAD_PATH, content: 'bonding\nbridge\n', mode: 0o644 }], removes: [] });
    expect(modulesLoad(ubuntuOvsIntent).files.map((f) => f.content())).toEqual(['bonding\n']);
  });

  it('linux bridges without bonds still need bridge', () => {
    expect(modulesLoad({ ...ubuntuLinuxBridgeIntent, bonds: [] }).files.map((f) => f.content())).toEqual(['bridge\n']);
  });

  it('OVS without bonds needs nothing: the drop-in is removed rather than left empty', () => {
    expect(modulesLoad({ ...centosOvsIntent, bonds: [] })).toEqual({ files: [], removes: [MODULES_LOAD_PATH] });
  });
});
