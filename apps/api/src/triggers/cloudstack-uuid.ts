const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` has the shape of a CloudStack entity's uuid (what its API calls `id`). */
export function isCloudStackUuid(text: string): boolean {
  return UUID.test(text);
}
