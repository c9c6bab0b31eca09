import type { LiveState } from '@hostnet/intent/domain/live-state';
import type { PreviousFiles } from '../activation/activation-steps';
import { nmProfiles, type NmProfile } from '../activation/nm-profiles';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { keyfileValue } from '../format/keyfile-value';
import { nmKeyfileLoaded } from './ignored-names';
import { keyfileDevices, PROFILE_UUID } from './keyfile-names';
import { liveNics, type LiveNics } from './live-nics';

/** Older NetworkManager and some tools write a setting's full name as the type. */
const TYPE_ALIASES: Record<string, string> = { '802-3-ethernet': 'ethernet' };
const normalType = (type: string | undefined): string | undefined => (type === undefined ? undefined : TYPE_ALIASES[type] ?? type);

/**
 * hostnet's profile takes over the uuid of the profile it replaces for the same device and type (the operator's
 * `cloudbr0` in hostnet's own path, a moved-aside "System eth0"). NetworkManager knows a connection by its uuid:
 * under a new one, `nmcli connection reload` sees the active connection removed and deactivates the device, which
 * detaches the VM taps on a bridge (seen on Rocky 9's NetworkManager: 'connection-removed', then `detached bridge
 * port vnet0`); under the same one it sees the connection modified and the device stays, as with hostnet's own
 * profiles. The uuid hostnet's file holds on the host is kept first, so a re-run reads the adopted one back.
 * networkmanager-linux only: its ports name their controller by interface, so no other profile refers to the uuid.
 */
export function withAdoptedProfileUuids(config: RenderedConfig, previous: PreviousFiles, live?: LiveState): RenderedConfig {
  if (config.target !== 'networkmanager-linux') return config;
  const nics = liveNics(live);
  const written = new Set(config.files.map((f) => f.path));
  const staying = [...previous].filter(([path, f]) => !written.has(path) && !config.removes.includes(path) && f.content !== undefined).map(([, f]) => f.content!);
  const taken = new Set([...staying.map((c) => keyfileValue(c, 'connection', 'uuid')?.toLowerCase()), ...nmProfiles(config).map((p) => p.uuid.toLowerCase())]);
  const neutralised = (config.neutralised ?? []).map((n) => n.path).filter((path) => nmKeyfileLoaded(path));
  const adopted = new Map<string, string>();
  for (const profile of nmProfiles(config)) {
    const uuid = adoptable(profile, previous, neutralised, nics);
    if (uuid === undefined || uuid.toLowerCase() === profile.uuid.toLowerCase()) continue;
    if (taken.has(uuid.toLowerCase())) continue;
    taken.add(uuid.toLowerCase());
    adopted.set(profile.uuid, uuid);
  }
  if (adopted.size === 0) return config;
  const step = (s: ApplyStep): ApplyStep => {
    const [by, value] = s.argv.slice(-2);
    const uuid = by === 'uuid' && value !== undefined ? adopted.get(value) : undefined;
    return uuid === undefined || s.argv.slice(0, 3).join(' ') !== 'nmcli connection up' ? s : { ...s, argv: [...s.argv.slice(0, -1), uuid] };
  };
  const files = config.files.map((f) => {
    const uuid = keyfileValue(f.content, 'connection', 'uuid');
    const to = uuid === undefined ? undefined : adopted.get(uuid);
    return to === undefined ? f : { ...f, content: f.content.replace(`\nuuid=${uuid}\n`, `\nuuid=${to}\n`) };
  });
  return { ...config, files, steps: config.steps.map(step), ...(config.undoSteps ? { undoSteps: config.undoSteps.map(step) } : {}) };
}

/**
 * The uuid the profile takes: that of the host's file in hostnet's path if it configures the same device and type,
 * else that of the one moved-aside keyfile that does (two such are ambiguous: neither is taken).
 */
function adoptable(profile: NmProfile, previous: PreviousFiles, neutralised: readonly string[], nics: LiveNics): string | undefined {
  const same = (content: string | undefined): content is string =>
    content !== undefined && normalType(keyfileValue(content, 'connection', 'type')) === normalType(profile.type) && keyfileDevices(content, nics).includes(profile.ifname);
  const uuidOf = (content: string) => {
    const uuid = keyfileValue(content, 'connection', 'uuid');
    return uuid !== undefined && PROFILE_UUID.test(uuid) ? uuid.toLowerCase() : undefined;
  };
  const own = previous.get(profile.path)?.content;
  if (same(own)) return uuidOf(own);
  const foreign = neutralised.map((path) => previous.get(path)?.content).filter(same);
  return foreign.length === 1 ? uuidOf(foreign[0]!) : undefined;
}
