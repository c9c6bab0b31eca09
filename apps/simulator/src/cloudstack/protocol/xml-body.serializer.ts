/**
 * Serializes a response body like ApiResponseSerializer.toXMLSerializedString: the root element is
 * the response name with a cloud-stack-version attribute; arrays repeat their element name;
 * empty arrays (e.g. uuidList) and null/undefined fields are left out.
 */
export function toXml(responseName: string, body: Record<string, unknown>, version: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><${responseName} cloud-stack-version="${escapeXml(version)}">${
    fields(body)
  }</${responseName}>`;
}

function fields(object: Record<string, unknown>): string {
  return Object.entries(object).map(([name, value]) => element(name, value)).join('');
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join('');
  if (typeof value === 'object') return `<${name}>${fields(value as Record<string, unknown>)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
