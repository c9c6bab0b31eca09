import type { RenderedConfig } from '../domain/rendered-config';
import { keyfileValue } from '../format/keyfile-value';
import { NM_CONNECTIONS_DIR } from '../renderers/networkmanager.renderer';

/** A NetworkManager profile hostnet writes, as its keyfile says. */
export interface NmProfile {
  path: string;
  id: string;
  uuid: string;
  type: string;
  /** The device it configures (on networkmanager-ovs an ovs-bridge, its own ovs-port and ovs-interface share one). */
  ifname: string;
  /** The controller's uuid (networkmanager-ovs) or interface name (networkmanager-linux). */
  master?: string;
}

const KEYFILE = /\.nmconnection$/;

/** The run's profiles in the order it renders them (controllers ahead of their ports). */
export function nmProfiles(config: RenderedConfig): NmProfile[] {
  return config.files
    .filter((f) => f.path.startsWith(`${NM_CONNECTIONS_DIR}/`) && KEYFILE.test(f.path))
    .flatMap((f) => {
      const [id, uuid, type, ifname] = ['id', 'uuid', 'type', 'interface-name'].map((key) => keyfileValue(f.content, 'connection', key));
      if (!id || !uuid || !type || !ifname) return [];
      const master = keyfileValue(f.content, 'connection', 'master');
      return [{ path: f.path, id, uuid, type, ifname, ...(master ? { master } : {}) }];
    });
}

/** The profiles an activation's `nmcli connection up` steps name, by uuid (or, a step of another's, by id). */
export function nmActivatedProfiles(config: RenderedConfig): NmProfile[] {
  const profiles = nmProfiles(config);
  return config.steps
    .filter((s) => s.phase === 'activate' && s.argv.slice(0, 3).join(' ') === 'nmcli connection up')
    .flatMap((s) => {
      const [by, value] = s.argv.slice(-2);
      const p = profiles.find((q) => (by === 'uuid' ? q.uuid === value : q.id === value));
      return p ? [p] : [];
    });
}

/** What a port's `master` names its controller by: its uuid on networkmanager-ovs (one name, three profiles), its interface on networkmanager-linux. */
const controllerKey = (config: RenderedConfig) => (p: NmProfile) => (config.target === 'networkmanager-ovs' ? p.uuid : p.ifname);

/** `profile` and every profile under it (its ports, theirs): what NetworkManager's re-activation of it cycles. */
export function nmProfileTree(config: RenderedConfig, profiles: readonly NmProfile[], profile: NmProfile): NmProfile[] {
  const key = controllerKey(config);
  const out = [profile];
  for (let i = 0; i < out.length; i++) {
    for (const p of profiles) if (p.master === key(out[i]!) && !out.includes(p)) out.push(p);
  }
  return out;
}
