import { Capabilities } from '../domain/cloudstack-records';
import { RawReader } from './raw-reader';

const TYPED = new Set([
  'cloudstackversion',
  'apilimitinterval',
  'apilimitmax',
  'securitygroupsenabled',
  'kubernetesserviceenabled',
]);

/** Maps listCapabilities' single `capability` object (not an array, FACTS §2.5). */
export function mapCapabilities(raw: unknown): Capabilities {
  const r = new RawReader(raw, 'listCapabilities capability');
  const other: Record<string, string | number | boolean> = {};
  for (const [key, value] of r.entries()) {
    if (TYPED.has(key)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') other[key] = value;
  }
  const caps: Capabilities = { cloudStackVersion: r.string('cloudstackversion'), other };
  const interval = r.optNumber('apilimitinterval');
  const max = r.optNumber('apilimitmax');
  const sg = r.optBoolean('securitygroupsenabled');
  const k8s = r.optBoolean('kubernetesserviceenabled');
  if (interval !== undefined) caps.apiLimitIntervalSeconds = interval;
  if (max !== undefined) caps.apiLimitMax = max;
  if (sg !== undefined) caps.securityGroupsEnabled = sg;
  if (k8s !== undefined) caps.kubernetesServiceEnabled = k8s;
  return caps;
}
