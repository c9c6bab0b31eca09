/** Formats a date as CloudStack does (`yyyy-MM-dd'T'HH:mm:ssZ`), in UTC: `2021-10-03T05:29:51+0000`. */
export function formatCloudStackDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+0000');
}
