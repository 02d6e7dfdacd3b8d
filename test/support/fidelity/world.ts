import type { CapacityProviderStrategyItem, LoadBalancer as EcsLoadBalancer } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

/** One request as the SDK sent it (after the fidelity layer let it through or refused it). */
export interface SentRequest {
  /** Operation name without "Command", e.g. `UpdateService`. */
  operation: string;
  input: Record<string, unknown>;
  /** The error name when the fidelity layer or the emulator refused it. */
  error?: string;
}

/** What ECS remembers about a service that moto forgets or gets wrong. */
export interface ServiceMemory {
  /** The strategy as sent: moto drops it on CreateService. */
  strategy?: CapacityProviderStrategyItem[];
  loadBalancers?: EcsLoadBalancer[];
  taskDefinition?: string;
  /** CreateService idempotency: the token and a fingerprint of the rest of the request. */
  createToken?: string;
  createFingerprint?: string;
  /** Scaled to zero: its tasks keep RUNNING (deregistration delay, then SIGTERM and stopTimeout) until then. */
  stoppingUntil?: number;
  /** World time of DeleteService; DRAINING until `deletedAt + drainMs`, then INACTIVE. */
  deletedAt?: number;
}

export class EcsWorld {
  /**
   * How long a deleted service stays DRAINING. AWS moves it to INACTIVE once its tasks are
   * STOPPING/STOPPED, i.e. after the target group's deregistration delay (default 300 s).
   */
  drainMs = 300_000;
  /**
   * How long tasks stay RUNNING after the service is scaled to zero: the target group's
   * deregistration delay (envbot sets 5 s), then SIGTERM and the container's stopTimeout (30 s by
   * default) — "Amazon ECS task lifecycle", "Connection draining" in the ECS developer guide.
   */
  taskStopMs = 35_000;
  /** Keyed by `cluster/service` (short names). */
  readonly services = new Map<string, ServiceMemory>();
  readonly sent: SentRequest[] = [];

  requests(operation: string): Record<string, unknown>[] {
    return this.sent.filter((r) => r.operation === operation && !r.error).map((r) => r.input);
  }
}

export class ElbWorld {
  /** "Rules per Application Load Balancer (excluding default rules)": 100 by default (adjustable). */
  rulesPerLoadBalancer = 100;
  /** "Target Groups per Application Load Balancer": 100, not adjustable (unique across all listeners). */
  targetGroupsPerLoadBalancer = 100;
  readonly sent: SentRequest[] = [];
  /** Set when the ELB client is decorated; ECS checks target groups through it. */
  client?: ElasticLoadBalancingV2Client;
}

/**
 * State the fidelity layer keeps across calls and clients of one test fixture: what real AWS
 * remembers that moto does not. Each service's fidelity file adds the fields it needs.
 */
export class FidelityWorld {
  private offsetMs = 0;
  /** Milliseconds since epoch; tests may replace it to move through time-based behaviour. */
  now: () => number = () => Date.now() + this.offsetMs;
  readonly ecs = new EcsWorld();
  readonly elb = new ElbWorld();

  /** Moves the world's clock on (e.g. as the engine's `sleep`, so waits pass in no real time). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** An engine `sleep` that moves this world's clock instead of waiting. */
  readonly sleep = async (ms: number): Promise<void> => {
    this.advance(ms);
  };
}
