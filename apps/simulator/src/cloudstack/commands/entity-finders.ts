import type { CommandContext } from './command-definition';

/** Lookups shared by commands: an id must name an existing record. */
export const finders = {
  zone: (ctx: CommandContext) => (id: string) => ctx.state.zones.find((z) => z.id === id),
  pod: (ctx: CommandContext) => (id: string) => ctx.state.pods.find((p) => p.id === id),
  cluster: (ctx: CommandContext) => (id: string) => ctx.state.clusters.find((c) => c.id === id),
  host: (ctx: CommandContext) => (id: string) => ctx.state.hosts.find((h) => h.id === id),
  physicalNetwork: (ctx: CommandContext) => (id: string) => ctx.state.physicalNetworks.find((n) => n.id === id),
  trafficType: (ctx: CommandContext) => (id: string) => ctx.state.trafficTypes.find((t) => t.id === id),
  storageRange: (ctx: CommandContext) => (id: string) => ctx.state.storageRanges.find((r) => r.id === id),
};
