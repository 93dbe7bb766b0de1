import { Logger } from '@nestjs/common';

import { SyncConfig } from '../sync.config';
import { CircuitBreakers } from './circuit-breakers.service';

describe('CircuitBreakers', () => {
  let breakers: CircuitBreakers;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  beforeEach(() => {
    breakers = new CircuitBreakers({ circuit: { failureThreshold: 3, coolDownMs: 1000 } } as SyncConfig);
  });

  it('lets full batches through while closed', () => {
    expect(breakers.acquire('jira', 20, 0)).toBe(20);
  });

  it('opens after the threshold of consecutive failures', () => {
    breakers.recordFailure('jira', 'HTTP 503', 0);
    breakers.recordFailure('jira', 'HTTP 503', 0);
    expect(breakers.snapshot('jira').state).toBe('closed');
    breakers.recordFailure('jira', 'HTTP 503', 0);
    expect(breakers.snapshot('jira')).toEqual({ state: 'open', consecutiveFailures: 3, openedAt: new Date(0), lastError: 'HTTP 503' });
    expect(breakers.acquire('jira', 20, 999)).toBe(0);
  });

  it('restarts the count after a success', () => {
    breakers.recordFailure('jira', 'HTTP 503', 0);
    breakers.recordFailure('jira', 'HTTP 503', 0);
    breakers.recordSuccess('jira');
    breakers.recordFailure('jira', 'HTTP 503', 0);
    expect(breakers.snapshot('jira').state).toBe('closed');
  });

  it('lets one trial through after the cool-down', () => {
    for (let i = 0; i < 3; i++) breakers.recordFailure('jira', 'HTTP 503', 0);
    expect(breakers.acquire('jira', 20, 1000)).toBe(1);
    expect(breakers.snapshot('jira').state).toBe('half_open');
    expect(breakers.acquire('jira', 20, 1001)).toBe(0);
  });

  it('closes when the trial succeeds', () => {
    for (let i = 0; i < 3; i++) breakers.recordFailure('jira', 'HTTP 503', 0);
    breakers.acquire('jira', 20, 1000);
    breakers.recordSuccess('jira');
    expect(breakers.snapshot('jira').state).toBe('closed');
    expect(breakers.acquire('jira', 20, 1001)).toBe(20);
  });

  it('opens again when the trial fails', () => {
    for (let i = 0; i < 3; i++) breakers.recordFailure('jira', 'HTTP 503', 0);
    breakers.acquire('jira', 20, 1000);
    breakers.recordFailure('jira', 'HTTP 502', 1000);
    expect(breakers.snapshot('jira')).toEqual(expect.objectContaining({ state: 'open', openedAt: new Date(1000) }));
    expect(breakers.acquire('jira', 20, 1999)).toBe(0);
    expect(breakers.acquire('jira', 20, 2000)).toBe(1);
  });

  it('hands out a returned trial again', () => {
    for (let i = 0; i < 3; i++) breakers.recordFailure('jira', 'HTTP 503', 0);
    expect(breakers.acquire('jira', 20, 1000)).toBe(1);
    breakers.returnUnusedTrial('jira');
    expect(breakers.acquire('jira', 20, 1000)).toBe(1);
  });

  it('keeps backends apart', () => {
    for (let i = 0; i < 3; i++) breakers.recordFailure('jira', 'HTTP 503', 0);
    expect(breakers.acquire('zammad', 20, 0)).toBe(20);
    expect(breakers.backendNames().sort()).toEqual(['jira', 'zammad']);
  });
});
