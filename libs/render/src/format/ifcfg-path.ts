const IFCFG_FILE = /^\/etc\/sysconfig\/network-scripts\/ifcfg-([^/]+)$/;

/** What follows `ifcfg-` in a network-scripts file's path (the device, unless DEVICE= says otherwise), or undefined for any other path. */
export function ifcfgSuffix(path: string): string | undefined {
  return IFCFG_FILE.exec(path)?.[1];
}
