import { AddKvmHostRequest, HostAllocationAction } from '../domain/cloudstack-records';
import { CloudStackValidationError } from '../errors/cloudstack-error';
import { ApiParams } from '../signing/request-signer';

/** A Linux interface name CloudStack can store as a KVM label: 1-15 chars, no spaces or slashes. */
const DEVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const HOST_ADDRESS = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|[0-9A-Fa-f:.]+)$/;

/** A non-empty id without whitespace. */
export function validateId(value: string, field: string, command?: string): string {
  if (typeof value !== 'string' || value.trim() === '' || /\s/.test(value)) {
    throw new CloudStackValidationError(field, `must be a CloudStack id (UUID), got ${JSON.stringify(value)}`, command);
  }
  return value;
}

/** updateHost's allocationstate: exactly Enable or Disable (CloudStack compares case-sensitively). */
export function validateAllocation(value: string): HostAllocationAction {
  if (value !== 'Enable' && value !== 'Disable') {
    throw new CloudStackValidationError(
      'allocationState',
      `must be exactly "Enable" or "Disable" (CloudStack rejects anything else), got ${JSON.stringify(value)}`,
      'updateHost',
    );
  }
  return value;
}

/** A KVM label is a device name (or '' to clear it). */
export function validateLabel(value: string): string {
  if (value !== '' && !DEVICE_NAME.test(value)) {
    throw new CloudStackValidationError(
      'kvmNetworkLabel',
      `must be a Linux interface name (letters, digits, _ . -; at most 15 characters) or "" to clear, got ${JSON.stringify(value)}`,
      'updateTrafficType',
    );
  }
  return value;
}

/** addHost parameters for a KVM host, validated. */
export function validateAddHost(req: AddKvmHostRequest): ApiParams {
  const params: ApiParams = {
    zoneid: validateId(req.zoneId, 'zoneId', 'addHost'),
    podid: validateId(req.podId, 'podId', 'addHost'),
    hypervisor: 'KVM',
    url: `http://${hostPart(req.address)}`,
    username: nonEmpty(req.username, 'username'),
    password: nonEmpty(req.password, 'password'),
  };
  if (req.clusterId !== undefined) params.clusterid = validateId(req.clusterId, 'clusterId', 'addHost');
  else if (req.clusterName !== undefined) params.clustername = nonEmpty(req.clusterName, 'clusterName');
  else throw new CloudStackValidationError('clusterId', 'addHost needs clusterId or clusterName', 'addHost');
  if (req.hostTags?.length) params.hosttags = req.hostTags.join(',');
  if (req.allocationState !== undefined) {
    if (req.allocationState !== 'Enabled' && req.allocationState !== 'Disabled') {
      throw new CloudStackValidationError('allocationState', 'addHost takes "Enabled" or "Disabled"', 'addHost');
    }
    params.allocationstate = req.allocationState;
  }
  return params;
}

function hostPart(address: string): string {
  if (typeof address !== 'string' || !HOST_ADDRESS.test(address)) {
    throw new CloudStackValidationError('address', `must be an IP address or DNS name, got ${JSON.stringify(address)}`, 'addHost');
  }
  return address.includes(':') ? `[${address}]` : address;
}

function nonEmpty(value: string, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new CloudStackValidationError(field, 'is required', 'addHost');
  }
  return value;
}
