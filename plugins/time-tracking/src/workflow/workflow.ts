// The approval workflow, pure: an entry is submitted, then approved at each configured step in
// order (by default the person's approver, then finance), and is final (locked, announced) after
// the last. With no steps, submitting approves. A rejection at any step sends it back to its owner.
export const STEPS = ['approver', 'finance'] as const;
export type Step = (typeof STEPS)[number];

export type EntryStatus = 'running' | 'draft' | 'submitted' | 'approved' | 'rejected';

/** The permission a step's decision needs. */
export const STEP_PERMISSION: Record<Step, string> = {
  approver: 'time.entries.approve',
  finance: 'time.finance.approve',
};

export interface Pending {
  status: EntryStatus;
  /** The step waiting for a decision (submitted entries only). */
  step: Step | null;
}

/** Where an entry goes when it is submitted. */
export function onSubmit(steps: readonly Step[]): Pending {
  return steps.length === 0 ? { status: 'approved', step: null } : { status: 'submitted', step: steps[0]! };
}

/** Where it goes after the step approves: the next step, or approved when it was the last. */
export function onApprove(steps: readonly Step[], current: Step): Pending {
  const i = steps.indexOf(current);
  const next = i >= 0 ? steps[i + 1] : undefined;
  return next ? { status: 'submitted', step: next } : { status: 'approved', step: null };
}

/** Whether the owner may still change the entry (a running timer changes only by stopping it). */
export const editable = (status: EntryStatus): boolean => status === 'draft' || status === 'rejected';
