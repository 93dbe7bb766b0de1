import { ConfigValidationError } from '../../config/app.config';
import { loadSyncConfig } from './sync.config';

describe('loadSyncConfig', () => {
  it('has defaults', () => {
    const config = loadSyncConfig({});
    expect(config.workersEnabled).toBe(true);
    expect(config.outbox.maxAttempts).toBe(10);
    expect(config.outbox.deliverWaitMs).toBe(5000);
    expect(config.pull.overlapMs).toBe(120_000);
    expect(config.replicaId).toMatch(/:\d+:[0-9a-f]{6}$/);
  });

  it('reads seconds as milliseconds', () => {
    const config = loadSyncConfig({ SYNC_RETRY_BASE_SECONDS: '0.5', SYNC_CIRCUIT_COOL_DOWN_SECONDS: '45', SYNC_REPLICA_ID: 'web-1' });
    expect(config.outbox.retryBaseMs).toBe(500);
    expect(config.circuit.coolDownMs).toBe(45_000);
    expect(config.replicaId).toBe('web-1');
  });

  it('lists every invalid value', () => {
    try {
      loadSyncConfig({ SYNC_OUTBOX_MAX_ATTEMPTS: '0', SYNC_WORKERS_ENABLED: 'maybe', SYNC_OUTBOX_BATCH_SIZE: '2.5' });
      throw new Error('expected a ConfigValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect((error as ConfigValidationError).problems).toEqual([
        'SYNC_WORKERS_ENABLED must be true or false, got "maybe"',
        'SYNC_OUTBOX_BATCH_SIZE must be an integer >= 1, got "2.5"',
        'SYNC_OUTBOX_MAX_ATTEMPTS must be an integer >= 1, got "0"',
      ]);
    }
  });

  it('rejects a lease shorter than the delivery timeout', () => {
    expect(() => loadSyncConfig({ SYNC_OUTBOX_LEASE_SECONDS: '30', SYNC_DELIVERY_TIMEOUT_SECONDS: '60' })).toThrow(
      'SYNC_OUTBOX_LEASE_SECONDS must be above SYNC_DELIVERY_TIMEOUT_SECONDS',
    );
  });

  it('reads job intervals in seconds', () => {
    const config = loadSyncConfig({ SYNC_JOB_INTERVALS: ' support.pull-issues=2, sync.cleanup=1.5 ,' });
    expect(config.jobs.intervalOverridesMs).toEqual({ 'support.pull-issues': 2000, 'sync.cleanup': 1500 });
  });

  it('keeps job schedules without SYNC_JOB_INTERVALS', () => {
    expect(loadSyncConfig({}).jobs.intervalOverridesMs).toEqual({});
  });

  it('lists every invalid job interval', () => {
    try {
      loadSyncConfig({ SYNC_JOB_INTERVALS: 'support.pull-issues, sync.cleanup=0.5, =3, a=2, a=3, b=soon' });
      throw new Error('expected a ConfigValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect((error as ConfigValidationError).problems).toEqual([
        'SYNC_JOB_INTERVALS entries must look like <job name>=<seconds>, got "support.pull-issues"',
        'SYNC_JOB_INTERVALS: the interval of sync.cleanup must be a number of seconds >= 1, got "0.5"',
        'SYNC_JOB_INTERVALS entries must look like <job name>=<seconds>, got "=3"',
        'SYNC_JOB_INTERVALS names a more than once',
        'SYNC_JOB_INTERVALS: the interval of b must be a number of seconds >= 1, got "soon"',
      ]);
    }
  });
});
