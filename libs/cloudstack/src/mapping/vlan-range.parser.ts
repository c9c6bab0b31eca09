import { VlanRange } from '../domain/zone-network-topology';

/** Largest VXLAN VNI; VLAN ids stop at 4094 but a VXLAN physical network's range holds VNIs. */
const MAX_ID = 16_777_215;

/**
 * Parses a physical network's `vlan` string ("100-200,300-310", "4000", "" or absent) into
 * ranges. Throws a RangeError naming the bad piece: these numbers end up in host configs.
 */
export function parseVlanRanges(value: string | undefined): VlanRange[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((piece) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(piece);
    if (!m) throw new RangeError(`VLAN range "${piece.trim()}" in "${value}" is not N or N-M`);
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (start > end || end > MAX_ID) {
      throw new RangeError(`VLAN range "${piece.trim()}" in "${value}" must satisfy start <= end <= ${MAX_ID}`);
    }
    return { start, end };
  });
}
