/**
 * The characters a path on a host may have to be written, backed up or restored by the on-host scripts,
 * which quote nothing they do not have to. The renderers and the apply payload check against this one rule.
 */
export const HOST_PATH_CHARS = 'A-Za-z0-9._@+:/-';
export const HOST_PATH = new RegExp(`^/[${HOST_PATH_CHARS}]+$`);
