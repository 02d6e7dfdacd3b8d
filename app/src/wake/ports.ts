/**
 * What the waking door needs from the rest of envbot, as small ports the composition root wires:
 * the store (what a name is and whether it sleeps), a one-per-sleep claim (conditional write),
 * and the one place that changes desired state (start).
 */

/** What the door knows about a name; undefined = no such environment (or destroyed). */
export interface SleepingState {
  name: string;
  /** `running`: the rule should already point at the app (the door only sees stragglers). */
  state: 'asleep' | 'waking' | 'running';
  /** The record version while asleep: one wake is claimed per (name, version). */
  version: number;
  /** False when a request may not wake it (e.g. an explicit `/env stop` where the profile says so). */
  wakeable: boolean;
}

export interface WakePorts {
  lookup(name: string): Promise<SleepingState | undefined>;
  /** True for exactly one caller per (name, version) until the claim expires; false for the rest. */
  claimWake(name: string, version: number): Promise<boolean>;
  /** Records desired = running through the normal command path (actor: the waking door). */
  start(name: string): Promise<void>;
}
