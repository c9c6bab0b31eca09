/**
 * The characters a path on a host may have to be written, backed up or restored by the on-host scripts,
 * which quote nothing they do not have to. The renderers and the apply payload check against this one rule.
 */
export const HOST_PATH_CHARS = 'A-Za-z0-9._@+:/-';

/**
 * The one directory whose file names may also hold single spaces: NetworkManager saves its auto-default
 * profile as `Wired connection 1.nmconnection`, and hostnet must be able to move that file aside. Never a
 * leading, trailing or double space, never another whitespace; every on-host script and parser that
 * handles a path keeps such a name whole (test/integration/apply/spaced-keyfile.spec.ts).
 */
export const SPACED_NAME_DIR = '/etc/NetworkManager/system-connections/';

const NAME_CHARS = HOST_PATH_CHARS.replace('/', '');
const SPACED_NAME_PATH = `${SPACED_NAME_DIR.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}[${NAME_CHARS}]+( [${NAME_CHARS}]+)+`;

export const HOST_PATH = new RegExp(`^(/[${HOST_PATH_CHARS}]+|${SPACED_NAME_PATH})$`);
