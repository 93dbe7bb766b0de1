import { Inject, Injectable, Logger } from '@nestjs/common';

import { SYNC_CONFIG, SyncConfig } from '../sync.config';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  openedAt: Date | null;
  lastError: string | null;
}

interface Circuit {
  state: CircuitState;
  consecutiveFailures: number;
  openedAt: number | null;
  trialInFlight: boolean;
  lastError: string | null;
}

/**
 * A circuit breaker per backend, kept in this process only. Closed, it lets full batches
 * through. After `failureThreshold` consecutive retryable failures it opens and lets
 * nothing through. After `coolDownMs` it is half-open and lets one trial delivery through:
 * the trial's success closes it, and its failure opens it again.
 */
@Injectable()
export class CircuitBreakers {
  private readonly logger = new Logger(CircuitBreakers.name);
  private readonly circuits = new Map<string, Circuit>();

  constructor(@Inject(SYNC_CONFIG) private readonly config: SyncConfig) {}

  /**
   * Returns how many rows of `backendName` may be claimed now. A half-open circuit hands
   * out one trial at a time; call `returnUnusedTrial` when the claim found no row.
   */
  acquire(backendName: string, batchSize: number, now = Date.now()): number {
    const circuit = this.circuit(backendName);
    if (circuit.state === 'open' && now - (circuit.openedAt ?? now) >= this.config.circuit.coolDownMs) {
      circuit.state = 'half_open';
      this.logger.log(`Circuit of backend ${backendName} is half-open: trying one delivery`);
    }
    if (circuit.state === 'closed') return batchSize;
    if (circuit.state === 'open' || circuit.trialInFlight) return 0;
    circuit.trialInFlight = true;
    return 1;
  }

  returnUnusedTrial(backendName: string): void {
    this.circuit(backendName).trialInFlight = false;
  }

  /** Records a response from the backend; a rejection such as 400 counts too, since the backend is up. */
  recordSuccess(backendName: string): void {
    const circuit = this.circuit(backendName);
    if (circuit.state !== 'closed') this.logger.log(`Circuit of backend ${backendName} is closed again`);
    circuit.state = 'closed';
    circuit.consecutiveFailures = 0;
    circuit.openedAt = null;
    circuit.trialInFlight = false;
  }

  recordFailure(backendName: string, message: string, now = Date.now()): void {
    const circuit = this.circuit(backendName);
    circuit.consecutiveFailures += 1;
    circuit.lastError = message;
    const trialFailed = circuit.state === 'half_open';
    circuit.trialInFlight = false;
    if (trialFailed || (circuit.state === 'closed' && circuit.consecutiveFailures >= this.config.circuit.failureThreshold)) {
      circuit.state = 'open';
      circuit.openedAt = now;
      this.logger.warn(
        `Circuit of backend ${backendName} is open after ${circuit.consecutiveFailures} consecutive failures; ` +
          `next trial in ${this.config.circuit.coolDownMs} ms. Last error: ${message}`,
      );
    }
  }

  snapshot(backendName: string): CircuitSnapshot {
    const circuit = this.circuit(backendName);
    return {
      state: circuit.state,
      consecutiveFailures: circuit.consecutiveFailures,
      openedAt: circuit.openedAt === null ? null : new Date(circuit.openedAt),
      lastError: circuit.lastError,
    };
  }

  backendNames(): string[] {
    return [...this.circuits.keys()];
  }

  private circuit(backendName: string): Circuit {
    let circuit = this.circuits.get(backendName);
    if (!circuit) {
      circuit = { state: 'closed', consecutiveFailures: 0, openedAt: null, trialInFlight: false, lastError: null };
      this.circuits.set(backendName, circuit);
    }
    return circuit;
  }
}
