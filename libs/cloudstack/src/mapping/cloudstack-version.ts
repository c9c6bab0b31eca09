/**
 * CloudStack version strings as the API reports them: `4.19.1.0`, `4.20.0.0-SNAPSHOT`, `4.22.0.0-shapeblue1`.
 * Only such a string leaves libs/cloudstack; anything else is dropped (treated as not reported).
 */
const VERSION = /^\d{1,4}(\.\d{1,6}){1,3}(-[A-Za-z0-9.]{1,40})?$/;

/** The version when it has CloudStack's shape, otherwise undefined. */
export function cloudStackVersionOrUndefined(text: string | undefined): string | undefined {
  return text !== undefined && VERSION.test(text) ? text : undefined;
}
