import { addHostCommand } from './add-host.command';
import type { CommandDefinition } from './command-definition';
import { hostMaintenanceCommands } from './host-maintenance.commands';
import { listVirtualMachinesCommand } from './list-virtual-machines.command';
import { listRoutersCommand, listSystemVmsCommand } from './list-system-vms.command';
import { infrastructureListCommands } from './infrastructure-list.commands';
import { networkListCommands } from './network-list.commands';
import { systemCommands } from './system.commands';
import { updateHostCommand } from './update-host.command';
import { updateTrafficTypeCommand } from './update-traffic-type.command';

/** Every command the simulator serves, keyed by its exact API name. */
export function commandCatalog(): Map<string, CommandDefinition> {
  const all = [
    ...infrastructureListCommands, ...networkListCommands, ...systemCommands, ...hostMaintenanceCommands,
    updateHostCommand, updateTrafficTypeCommand, addHostCommand, listVirtualMachinesCommand, listRoutersCommand, listSystemVmsCommand,
  ];
  return new Map(all.map((command) => [command.name, command]));
}
