import { join } from 'node:path';

/** apps/simulator/topologies/default.yaml: the reference document's zone. */
export const DEFAULT_TOPOLOGY_PATH = join(__dirname, '..', '..', '..', 'topologies', 'default.yaml');
