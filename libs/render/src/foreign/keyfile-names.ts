import { keyfileValue } from '../format/keyfile-value';
import type { LiveNics } from './live-nics';

/** A NetworkManager profile's uuid, as `master`, `controller` and `parent` may name one. */
export const PROFILE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The devices a keyfile binds to: its `interface-name`, or the NIC whose permanent MAC is its `[ethernet] mac-address`. */
export function keyfileDevices(content: string, nics: LiveNics): string[] {
  const mac = keyfileValue(content, 'ethernet', 'mac-address') ?? keyfileValue(content, '802-3-ethernet', 'mac-address');
  return [keyfileValue(content, 'connection', 'interface-name'), ...(mac ? nics.withMac(mac) : [])].filter((v): v is string => !!v);
}

/**
 * The interfaces NetworkManager keyfiles bind to and name. A profile binds to its `interface-name`, or to the
 * NIC whose permanent MAC is its `[ethernet] mac-address` (cloud-init's NetworkManager renderer writes the MAC
 * and then no interface-name); a port names its bond or bridge in `master`/`controller` and a VLAN its parent,
 * each as an interface name or as the profile's uuid or id (cloud-init writes the uuid).
 */
export class KeyfileNames {
  private readonly byRef = new Map<string, string>();

  constructor(keyfiles: readonly string[], private readonly nics: LiveNics) {
    for (const content of keyfiles) {
      for (const key of ['uuid', 'id']) {
        const ref = keyfileValue(content, 'connection', key);
        if (ref && !this.byRef.has(ref)) this.byRef.set(ref, content);
      }
    }
  }

  names(content: string): string[] {
    const refs = [keyfileValue(content, 'connection', 'master'), keyfileValue(content, 'connection', 'controller'), keyfileValue(content, 'vlan', 'parent')];
    return [...this.bound(content), ...refs.flatMap((ref) => (ref ? this.referenced(ref) : []))];
  }

  private bound(content: string): string[] {
    return keyfileDevices(content, this.nics);
  }

  /** A profile's uuid or id: the interfaces that profile binds to; an unknown uuid names none; anything else is an interface name. */
  private referenced(ref: string): string[] {
    const profile = this.byRef.get(ref);
    if (profile !== undefined) return this.bound(profile);
    return PROFILE_UUID.test(ref) ? [] : [ref];
  }
}
