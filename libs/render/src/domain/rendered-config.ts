/** What a renderer produces for one host: the files to write and the ordered steps that apply them. */

/** The configuration systems hostnet can write for. */
export type RenderTargetId =
  | 'el-network-scripts-linux'
  | 'el-network-scripts-ovs'
  | 'debian-ifupdown-linux'
  | 'debian-ifupdown-ovs'
  | 'netplan-linux'
  | 'netplan-ovs'
  | 'networkmanager-linux'
  | 'networkmanager-ovs';

export interface RenderedFile {
  /** Absolute path on the host, e.g. /etc/sysconfig/network-scripts/ifcfg-bond0. */
  path: string;
  content: string;
  /** Octal file mode, e.g. 0o644 (netplan YAML must be 0o600). */
  mode: number;
}

/**
 * One command of the apply sequence, as argv (never a shell string) so nothing in it can be
 * interpreted by a shell; the on-host runner quotes each word.
 */
export interface ApplyStep {
  /** Short stable name for progress and timing, e.g. `ovs-add-br-cloudbr0`. */
  name: string;
  argv: string[];
  /**
   * `live` steps change running state at once (ovs-vsctl); `activate` steps make the written
   * files take effect (ifup, network restart, netplan apply, nmcli).
   */
  phase: 'live' | 'activate';
}

/** Another owner's config file moved aside because it names interfaces hostnet manages (foreign-configs.ts). */
export interface NeutralisedFile {
  path: string;
  /** The managed interfaces it names. */
  interfaces: string[];
}

export interface RenderedConfig {
  target: RenderTargetId;
  files: RenderedFile[];
  /** Files this target owns that must not exist after apply (e.g. a stale ifcfg-eth0 alias). */
  removes: string[];
  /** The `removes` entries that are other owners' configs (installer files) naming managed interfaces. */
  neutralised?: NeutralisedFile[];
  steps: ApplyStep[];
  /**
   * Steps that put the live state back as facts found it (empty without a live state): the restore
   * runs them, in order, before it re-activates the old files. Each is safe whether or not the run got
   * as far as the step it undoes. renderHost always sets it; optional only so hand-built configs
   * (tests, other producers) need not.
   */
  undoSteps?: ApplyStep[];
  /**
   * Set when the host's live state forbids this run (`LiveStateRefusal: message`): steps are empty, and the
   * workflow stops before any step (a dry-run still shows the files' diff).
   */
  refusal?: string;
}
