import { z } from 'zod';
import { VLAN_ID_MAX, VLAN_ID_MIN } from '@hostnet/intent';
import { requestedBy } from '../hosts/request-schemas';

const countOrPercent = z.union([z.number().int(), z.string().regex(/^\d{1,3}%$/, 'must be a count like 2 or a percentage like "25%"')]);

/** Body of POST /relabels; the planner checks meaning (networks, labels, scope), this checks shape. */
export const relabelRequestSchema = z
  .object({
    /** Zone id or name. */
    zone: z.string().min(1, 'give the zone id or name'),
    changes: z
      .array(
        z
          .object({
            physicalNetwork: z.string().min(1, 'give the physical network id or name'),
            trafficType: z.string().min(1, 'give Management, Guest, Public or Storage'),
            newLabel: z.string().min(1, 'give the new bridge name'),
          })
          .strict(),
      )
      .min(1, 'give at least one { physicalNetwork, trafficType, newLabel }'),
    /** Cluster ids or names; every KVM cluster of the zone when absent. */
    scope: z.array(z.string().min(1)).optional(),
    /** KVM hosts outside scope: refuse the plan (default), or leave them behind on purpose (they still get the flip). */
    outOfScope: z.enum(['refuse', 'leave-behind']).optional(),
    /** Hosts in scope with changes beyond the relabel no run applied (a profile reloaded): refuse the plan (default), or include them on purpose. */
    drifted: z.enum(['refuse', 'include']).optional(),
    strategy: z
      .object({
        canary: z.number().int().min(0).optional(),
        maxUnavailable: countOrPercent.optional(),
        abortAfter: countOrPercent.optional(),
        maintenance: z.enum(['required', 'when-vms', 'never']).optional(),
      })
      .strict()
      .optional(),
    /** Public VLAN ids in use (listVlanIpRanges): the agent's br<pif>-<vlan> names are checked exactly instead of against VLAN 4094. */
    publicVlans: z.array(z.number().int().min(VLAN_ID_MIN, `VLAN ids run ${VLAN_ID_MIN}-${VLAN_ID_MAX}`).max(VLAN_ID_MAX, `VLAN ids run ${VLAN_ID_MIN}-${VLAN_ID_MAX}`)).max(2 * VLAN_ID_MAX).optional(),
    requestedBy: requestedBy.optional(),
  })
  .strict();

export type RelabelRequestBody = z.infer<typeof relabelRequestSchema>;

/** Body of the control endpoints. */
export const relabelControlSchema = z.object({ requestedBy: requestedBy.optional(), reason: z.string().max(500).optional() }).strict();
export type RelabelControlBody = z.infer<typeof relabelControlSchema>;
