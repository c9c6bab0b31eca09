import type { ApplyStep } from '../domain/rendered-config';

/** The steps from a host's live state to the intent, and the steps that undo them. */
export interface TransitionPlan {
  steps: ApplyStep[];
  /** Put the live state back as facts recorded it (run by the restore, before the old files are re-activated). */
  undoSteps: ApplyStep[];
  /** Devices/ports this plan deletes that the intent does not re-create (their config files go too). */
  retired: string[];
  /**
   * Linux: ports moved straight into a running bridge, after the links `steps` make and before its
   * releases and deletions (withTransition places them; a networkd host runs them after its activation),
   * then the relabel's veth ends learning again (linux-link-steps enslaveUp).
   */
  moves?: ApplyStep[];
  /** Linux: links of the intent found down, set up (down-link-steps.ts), after the activation. */
  ups?: ApplyStep[];
  /** Linux: links set to the intent's MTU (mtu-steps.ts), after the activation and the ups. */
  mtus?: ApplyStep[];
  /** Linux: bonds' and bridges' parameters set live (link-param-steps.ts), last. */
  params?: ApplyStep[];
}
