import type { RenderedConfig } from '../domain/rendered-config';
import { AGENT_PROPERTIES_PATH, networkFilesOnly, rewriteAgentProperties, withAgentProperties } from './agent-properties';

const PROPS = [
  '#Storage',
  'workers=5',
  'private.network.device=cloudbr0',
  'public.network.device = cloudbr1\r',
  '  guest.network.device:cloudbr1  ',
  'private.bridge.name=cloud0',
  'guest.network.device.extra=cloudbr1',
  '',
].join('\n');
const toNew = new Map([['cloudbr1', 'cloudbr9']]);
const config: RenderedConfig = { target: 'el-network-scripts-ovs', files: [{ path: '/etc/sysconfig/network', content: 'x\n', mode: 0o644 }], removes: [], steps: [] };

describe('agent.properties: only *.network.device entries naming a renamed bridge change', () => {
  it('rewrites public/guest entries naming cloudbr1, every other byte kept (CRLF, spacing, look-alike keys)', () => {
    expect(rewriteAgentProperties(PROPS, toNew)).toBe(PROPS.replace('public.network.device = cloudbr1\r', 'public.network.device = cloudbr9\r').replace('guest.network.device:cloudbr1  ', 'guest.network.device:cloudbr9  '));
  });

  it('back on old: the reverse map restores the old names', () => {
    const flipped = rewriteAgentProperties(PROPS, toNew);
    expect(rewriteAgentProperties(flipped, new Map([['cloudbr9', 'cloudbr1']]))).toBe(PROPS);
  });

  it('joins the transaction as one more file, with the host file\'s mode; nothing when absent or unchanged', () => {
    const out = withAgentProperties(config, { content: PROPS, mode: 0o640 }, toNew);
    expect(out.files.map((f) => f.path)).toEqual(['/etc/sysconfig/network', AGENT_PROPERTIES_PATH]);
    expect(out.files[1].mode).toBe(0o640);
    expect(withAgentProperties(config, undefined, toNew)).toBe(config);
    expect(withAgentProperties(config, { content: 'workers=5\n', mode: 0o644 }, toNew)).toBe(config);
    expect(networkFilesOnly(out).files).toEqual(config.files);
  });

  it('refuses a file facts could not read, and a rename that is not a bridge name', () => {
    expect(() => withAgentProperties(config, { mode: 0o644 }, toNew)).toThrow(/too large for hostnet to read.*fix:/);
    expect(() => rewriteAgentProperties(PROPS, new Map([['cloudbr1', 'x;reboot']]))).toThrow(/not a valid interface name/);
  });
});
