import { presentHost } from '../presenters/host.presenter';
import { ApiError } from '../protocol/api-error';
import type { ResourceState } from '../state/simulator-records';
import type { CommandDefinition } from './command-definition';
import { finders } from './entity-finders';

const TOGGLEABLE: ReadonlySet<ResourceState> = new Set(['Enabled', 'Disabled', 'Degraded']);

/** updateHost (sync): allocationstate exactly Enable/Disable, plus name and hosttags. */
export const updateHostCommand: CommandDefinition = {
  name: 'updateHost',
  handle(ctx) {
    const host = ctx.params.requiredEntity('id', finders.host(ctx));
    const allocation = ctx.params.string('allocationstate');
    if (allocation !== undefined && allocation !== 'Enable' && allocation !== 'Disable') {
      throw ApiError.invalidValue(`Invalid allocation state: ${allocation}, only Enable/Disable are allowed`);
    }
    if (allocation !== undefined) {
      if (!TOGGLEABLE.has(host.resourceState)) {
        throw ApiError.internal(`Unable to ${allocation.toLowerCase()} host ${host.name}: no transition from resource state ${host.resourceState} via ${allocation}`);
      }
      host.resourceState = allocation === 'Enable' ? 'Enabled' : 'Disabled';
    }
    const name = ctx.params.string('name');
    if (name !== undefined && name.trim() !== '') host.name = name;
    const tags = ctx.params.string('hosttags');
    if (tags !== undefined) host.hostTags = tags === '' ? undefined : tags;
    return { kind: 'object', objectName: 'host', item: presentHost(host, ctx.state) };
  },
};
