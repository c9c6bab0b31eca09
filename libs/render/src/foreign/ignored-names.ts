/**
 * The network-scripts files (ifcfg-*, route-*) their readers never load: editor backups and the copies package
 * managers leave beside a config file. Such a file names the interfaces and routes of the file it was copied from, yet
 * configures nothing: counted as another owner's config it would be moved aside or refuse the run, and its routes
 * would pass for ones ifup brings back.
 *
 * - network-scripts: initscripts' is_ignored_file and __sed_discard_ignored_files (/etc/rc.d/init.d/functions, as
 *   EL7 ships it), which /etc/rc.d/init.d/network applies to `ls ifcfg-*`: names ending in ~ .bak .old .orig .rpmnew
 *   .rpmorig .rpmsave.
 * - NetworkManager's ifcfg-rh plugin: utils_should_ignore_file (src/core/settings/plugins/ifcfg-rh/nms-ifcfg-rh-utils.c),
 *   ASCII case aside: ~ .bak .orig .rej .rpmnew .augnew .augtmp, and rpm's temporary ";" and 8 hex digits. It does read
 *   .rpmsave, .rpmorig and .old: on a NetworkManager host those stay another owner's config.
 *
 * ifupdown needs none here: its `source-directory` takes run-parts names only (interfaces(5): letters, digits, _ and -,
 * so no dotted backup; sourcedPattern in ifupdown-activation.ts), and a `source` glob reads whatever it matches, a
 * backup too (interfaces(5): "Shell wildcards can be used"). netplan reads *.yaml only (netplan-names.ts); NetworkManager's
 * keyfile plugin below.
 */
const IGNORED_BY_NETWORK_SCRIPTS = /(~|\.bak|\.old|\.orig|\.rpmnew|\.rpmorig|\.rpmsave)$/;
const IGNORED_BY_IFCFG_RH = /(~|\.bak|\.orig|\.rej|\.rpmnew|\.augnew|\.augtmp|;[0-9a-f]{8})$/i;

/** Whether network-scripts (`network-scripts`) or NetworkManager's ifcfg-rh plugin (`networkmanager`) passes over this path. */
export function ignoredBy(reader: 'network-scripts' | 'networkmanager', path: string): boolean {
  return (reader === 'network-scripts' ? IGNORED_BY_NETWORK_SCRIPTS : IGNORED_BY_IFCFG_RH).test(path);
}

const NM_KEYFILE_DIR = /^\/(etc|run)\/NetworkManager\/system-connections\/([^/]+)$/;
/** A keyfile name NetworkManager passes over: hidden, ~, 802.1x certificates, g_file_set_contents' temporary `.XXXXXX`. */
const IGNORED_BY_KEYFILE = /^\.|~$|\.(pem|der)$|\.[A-Za-z0-9]{6}$/i;

/**
 * Whether NetworkManager's keyfile plugin loads this path as a profile (nms_keyfile_utils_should_ignore_file,
 * src/core/settings/plugins/keyfile/nms-keyfile-utils.c, and the plugin's directory scan): in /etc any name it does
 * not pass over, `eth0` as much as `eth0.nmconnection` (profiles from before the suffix, or written by hand, are still
 * loaded there); in /run only *.nmconnection. `.nmmeta` files are its own bookkeeping, not profiles.
 */
export function nmKeyfileLoaded(path: string): boolean {
  const m = NM_KEYFILE_DIR.exec(path);
  if (!m) return false;
  const name = m[2]!;
  if (IGNORED_BY_KEYFILE.test(name) || /\.nmmeta$/.test(name)) return false;
  return m[1] === 'etc' || (name.length > '.nmconnection'.length && name.endsWith('.nmconnection'));
}
