/** Thrown by an injected after-step hook to simulate the bot being killed between two steps. */
export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}
