import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { raceWithSignal, waitAtMost } from '../common/abort';
import { retryDelayMs } from '../common/backoff';
import { asRemoteError, RemoteError } from '../common/remote-error';
import { EchoGuard } from '../echo/echo-guard.service';
import { SyncMetrics } from '../status/sync-metrics.service';
import { SYNC_CONFIG, SyncConfig } from '../sync.config';
import { CircuitBreakers } from './circuit-breakers.service';
import { DeliveryResult, OutboxDeliverer, OutboxDelivererRegistry, OutboxDelivery } from './outbox-deliverer';
import { OutboxEntry } from './outbox-entry.entity';
import { AttemptKey, OutboxRepository } from './outbox.repository';

/** Maximum time, in delivery timeouts, that a timed-out push keeps its row claimed while it may still end. */
const MAX_WAIT_IN_TIMEOUTS = 10;

/** Claims outbox rows and runs their delivery attempts; used by the worker loop and `deliverSoon`. */
@Injectable()
export class OutboxDeliveryService {
  private readonly logger = new Logger('Outbox');
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: OutboxRepository,
    private readonly deliverers: OutboxDelivererRegistry,
    private readonly breakers: CircuitBreakers,
    private readonly echo: EchoGuard,
    private readonly metrics: SyncMetrics,
  ) {}

  /**
   * Claims and delivers one batch per backend that has a deliverer and a circuit letting
   * work through; with `ids`, only among those rows. Returns the number of rows attempted.
   */
  deliverDue(ids?: readonly number[]): Promise<number> {
    return this.track(this.deliverDueNow(ids));
  }

  /** Waits for attempts in flight, then aborts those still running after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    const pending = Promise.allSettled([...this.inFlight]);
    if ((await waitAtMost(pending.then(() => true), graceMs)) === undefined) {
      this.logger.warn(`Aborting ${this.inFlight.size} outbox deliveries still running after ${graceMs} ms`);
      this.shutdown.abort(new RemoteError('Delivery aborted by shutdown', { retryable: true }));
      await waitAtMost(Promise.allSettled([...this.inFlight]), 1000);
    }
  }

  private async deliverDueNow(ids?: readonly number[]): Promise<number> {
    const backendNames = ids ? await this.repository.backendsOf(ids) : this.deliverers.names();
    const counts = await Promise.all(
      backendNames.map((backendName) =>
        this.deliverBackend(backendName, ids).catch((error: unknown) => {
          this.logger.error(`Claiming outbox rows of backend ${backendName} failed`, error);
          return 0;
        }),
      ),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  private async deliverBackend(backendName: string, ids?: readonly number[]): Promise<number> {
    const deliverer = this.deliverers.find(backendName);
    if (!deliverer) return 0;
    const permits = this.breakers.acquire(backendName, this.config.outbox.batchSize);
    if (permits === 0) return 0;

    let rows: OutboxEntry[];
    try {
      rows = await this.repository.claim({
        backendName,
        limit: permits,
        claimedBy: this.config.replicaId,
        leaseMs: this.config.outbox.leaseMs,
        ids,
      });
    } catch (error) {
      this.breakers.returnUnusedTrial(backendName);
      throw error;
    }
    if (rows.length === 0) {
      this.breakers.returnUnusedTrial(backendName);
      return 0;
    }

    await Promise.all(rows.map((row) => this.attempt(deliverer, row)));
    return rows.length;
  }

  private async attempt(deliverer: OutboxDeliverer, row: OutboxEntry): Promise<void> {
    const key: AttemptKey = { id: row.id, attempt: row.attempts };
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new RemoteError(`Delivery timed out after ${this.config.outbox.deliveryTimeoutMs} ms`, { retryable: true })),
      this.config.outbox.deliveryTimeoutMs,
    );
    const signal = AbortSignal.any([timeout.signal, this.shutdown.signal]);
    const delivery = toDelivery(row, signal);
    const startedAt = performance.now();
    const push = this.push(deliverer, delivery);

    let outcome: { result: DeliveryResult; adopted: boolean };
    try {
      outcome = await raceWithSignal(push, signal);
    } catch (error) {
      if (timeout.signal.aborted && !this.shutdown.signal.aborted) {
        void this.track(this.finishTimedOut(deliverer, delivery, key, push, asRemoteError(error), startedAt));
        return;
      }
      await this.recordFailure(deliverer, delivery, key, asRemoteError(error), true);
      return;
    } finally {
      clearTimeout(timer);
    }

    this.breakers.recordSuccess(row.backendName);
    await this.recordDelivered(deliverer, delivery, key, outcome.result, outcome.adopted, startedAt);
  }

  /**
   * Finishes an attempt whose push outlived the delivery timeout, in the background so the
   * worker goes on with other rows. The push may still reach the backend, and a retry
   * started meanwhile would not find its object yet and would make it a second time. So
   * the row keeps its claim, renewed every third of the lease, until the push ends and its
   * real outcome is recorded. A push still running after ten delivery timeouts is recorded
   * as timed out and retried.
   */
  private async finishTimedOut(
    deliverer: OutboxDeliverer,
    delivery: OutboxDelivery,
    key: AttemptKey,
    push: Promise<{ result: DeliveryResult; adopted: boolean }>,
    timedOut: RemoteError,
    startedAt: number,
  ): Promise<void> {
    const { deliveryTimeoutMs, leaseMs } = this.config.outbox;
    const giveUpAt = Date.now() + (MAX_WAIT_IN_TIMEOUTS - 1) * deliveryTimeoutMs;
    this.logger.warn(
      `Outbox row ${delivery.uuid} (${delivery.operation}) exceeded the delivery timeout of ${deliveryTimeoutMs} ms; ` +
        'it keeps its claim until the push ends, because the push may still reach the backend',
    );
    const settled = Promise.allSettled([push]).then(([result]) => result);
    for (;;) {
      if (!(await this.renewClaim(delivery, key))) return;
      let result: PromiseSettledResult<{ result: DeliveryResult; adopted: boolean }> | undefined;
      try {
        result = await waitAtMost(raceWithSignal(settled, this.shutdown.signal), Math.min(leaseMs / 3, Math.max(0, giveUpAt - Date.now())));
      } catch {
        // Shutdown: the row stays in progress, and another claim retries it after its lease.
        return;
      }
      if (result?.status === 'fulfilled') {
        this.breakers.recordSuccess(delivery.backendName);
        await this.recordDelivered(deliverer, delivery, key, result.value.result, result.value.adopted, startedAt);
        return;
      }
      if (result?.status === 'rejected' || Date.now() >= giveUpAt) {
        await this.recordFailure(deliverer, delivery, key, result ? asRemoteError(result.reason) : timedOut, true);
        return;
      }
    }
  }

  /** Extends the claim of an attempt still running; false when the row no longer carries it. */
  private async renewClaim(delivery: OutboxDelivery, key: AttemptKey): Promise<boolean> {
    try {
      if (await this.repository.extendClaim(key, this.config.outbox.leaseMs)) return true;
      this.logger.warn(`Outbox row ${delivery.uuid} lost its claim while its push was still running`);
    } catch (error) {
      this.logger.error(`Extending the claim of outbox row ${delivery.uuid} failed`, error);
    }
    return false;
  }

  /** Adopts what an earlier attempt made, if anything, and otherwise pushes. */
  private async push(deliverer: OutboxDeliverer, delivery: OutboxDelivery): Promise<{ result: DeliveryResult; adopted: boolean }> {
    if (delivery.attempt > 1) {
      const found = await deliverer.findDelivered(delivery);
      if (found) return { result: found, adopted: true };
    }
    return { result: await deliverer.deliver(delivery), adopted: false };
  }

  private async recordDelivered(
    deliverer: OutboxDeliverer,
    delivery: OutboxDelivery,
    key: AttemptKey,
    result: DeliveryResult,
    adopted: boolean,
    startedAt: number,
  ): Promise<void> {
    let applied: boolean;
    try {
      applied = await this.dataSource.transaction(async (manager) => {
        if (!(await this.repository.markDone(manager, key, result.remoteId))) return false;
        await this.echo.record(manager, delivery.backendName, result.echoes ?? []);
        await deliverer.applyResult(manager, delivery, result);
        return true;
      });
    } catch (error) {
      // The remote has the change but our copy could not take the result. Retrying relies
      // on findDelivered to adopt the remote object instead of pushing it again.
      this.logger.error(`Outbox row ${delivery.uuid} was delivered but applying the result failed`, error);
      await this.recordFailure(deliverer, delivery, key, asRemoteError(error), false);
      return;
    }

    const labels = { backend: delivery.backendName, operation: delivery.operation };
    if (!applied) {
      this.logger.warn(
        `Outbox row ${delivery.uuid} (${delivery.operation}) was delivered after its claim expired; ` +
          'the worker that holds it now adopts the result',
      );
      this.metrics.outboxAttempts.inc({ ...labels, outcome: 'lost_claim' });
      return;
    }
    this.metrics.outboxAttempts.inc({ ...labels, outcome: adopted ? 'adopted' : 'delivered' });
    this.metrics.outboxDeliverySeconds.observe(labels, (performance.now() - startedAt) / 1000);
    if (adopted) {
      this.logger.log(
        `Outbox row ${delivery.uuid} (${delivery.operation}) adopted remote object ${result.remoteId ?? '(no id)'} ` +
          `made by an earlier attempt, found by marker ${delivery.idempotencyKey}`,
      );
    }
  }

  /**
   * Schedules the next attempt with back-off, or parks the row as dead after the last
   * attempt or a non-retryable error. `fromRemote` is false for local failures, which do
   * not reflect the backend's health and leave its circuit alone.
   */
  private async recordFailure(
    deliverer: OutboxDeliverer,
    delivery: OutboxDelivery,
    key: AttemptKey,
    error: RemoteError,
    fromRemote: boolean,
  ): Promise<void> {
    if (fromRemote && error.retryable) this.breakers.recordFailure(delivery.backendName, error.message);
    else if (fromRemote) this.breakers.recordSuccess(delivery.backendName);

    const message = describeError(error);
    const labels = { backend: delivery.backendName, operation: delivery.operation };
    const where = `Outbox row ${delivery.uuid} (${delivery.operation}, issue ${delivery.issueUuid ?? 'none'})`;
    try {
      if (!error.retryable || key.attempt >= this.config.outbox.maxAttempts) {
        await this.markDead(deliverer, delivery, key, error, message);
        this.metrics.outboxAttempts.inc({ ...labels, outcome: 'dead' });
        this.logger.error(`${where} is dead after attempt ${key.attempt}: ${message}`);
        return;
      }
      const delayMs = retryDelayMs(
        { baseMs: this.config.outbox.retryBaseMs, capMs: this.config.outbox.retryCapMs },
        key.attempt,
        this.config.random,
        error.retryAfterSeconds,
      );
      await this.repository.scheduleRetry(key, delayMs, message);
      this.metrics.outboxAttempts.inc({ ...labels, outcome: 'retry' });
      this.logger.warn(`${where} attempt ${key.attempt} failed, next attempt in ${delayMs} ms: ${message}`);
    } catch (recordError) {
      // The row stays in progress; once its lease expires another claim retries it.
      this.logger.error(`${where} failed and the failure could not be recorded: ${message}`, recordError);
    }
  }

  private async markDead(
    deliverer: OutboxDeliverer,
    delivery: OutboxDelivery,
    key: AttemptKey,
    error: RemoteError,
    message: string,
  ): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        if (await this.repository.markDead(manager, key, message)) await deliverer.onDead(manager, delivery, error);
      });
    } catch (hookError) {
      this.logger.error(`The onDead hook of backend ${delivery.backendName} failed for outbox row ${delivery.uuid}`, hookError);
      await this.dataSource.transaction((manager) => this.repository.markDead(manager, key, message));
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }
}

function toDelivery(row: OutboxEntry, signal: AbortSignal): OutboxDelivery {
  return {
    uuid: row.uuid,
    backendName: row.backendName,
    operation: row.operation,
    issueId: row.issueId,
    issueUuid: row.issueUuid,
    targetType: row.targetType,
    targetId: row.targetId,
    targetUuid: row.targetUuid,
    payload: row.payload,
    attempt: row.attempts,
    idempotencyKey: row.idempotencyKey,
    lastError: row.lastError,
    signal,
  };
}

function describeError(error: RemoteError): string {
  const status = error.status !== undefined ? `HTTP ${error.status}: ` : '';
  return `${status}${error.message}`.slice(0, 4000);
}
