import { classify } from './errors.js';
import { DONE, type StepResult } from './result.js';
import type { Step, StepDeps, StepGroup, StepList } from './steps/step.js';

/** Called after each step that completed; injected (tests throw from it to simulate a crash there). */
export type StepHook = (step: string, env: string) => void | Promise<void>;

interface Run<S> {
  deps: StepDeps;
  state: S;
  env: string;
  afterStep?: StepHook | undefined;
}

/**
 * Runs a step list in order and stops at the first step that does not answer "done". A step's
 * failure leaves here marked (errors.ts); a throwing hook's error passes through unmarked.
 */
export async function runSteps<S>(list: StepList<S>, run: Run<S>): Promise<StepResult> {
  for (const item of list) {
    const result = 'parallel' in item ? await runGroup(item, run) : await runStep(item, run);
    if (result.kind !== 'done') return result;
  }
  return DONE;
}

async function runStep<S>(step: Step<S>, run: Run<S>): Promise<StepResult> {
  let result: StepResult;
  try {
    result = (await step.run(run.deps, run.state)) ?? DONE;
  } catch (err) {
    throw classify(err);
  }
  if (result.kind === 'done') await run.afterStep?.(step.name, run.env);
  return result;
}

async function runGroup<S>(group: StepGroup<S>, run: Run<S>): Promise<StepResult> {
  const results = await settleAll(group.parallel.map((branch) => runSteps(branch, run)));
  return results.find((r) => r.kind !== 'done') ?? DONE;
}

/**
 * Like Promise.all, but waits for every branch before rethrowing the first failure, so a failed
 * branch never leaves another still writing to AWS behind the next run's back.
 */
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
