/**
 * State the fidelity layer keeps across calls and clients of one test fixture: what real AWS
 * remembers that moto does not. Each service's fidelity file adds the fields it needs.
 */
export class FidelityWorld {
  /** Milliseconds since epoch; tests may replace it to move through time-based behaviour. */
  now: () => number = () => Date.now();
}
