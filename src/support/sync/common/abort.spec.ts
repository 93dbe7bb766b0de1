import { raceWithSignal, sleep, waitAtMost } from './abort';

describe('raceWithSignal', () => {
  it('settles with the work', async () => {
    await expect(raceWithSignal(Promise.resolve(3), new AbortController().signal)).resolves.toBe(3);
  });

  it('rejects with the abort reason', async () => {
    const controller = new AbortController();
    const work = sleep(1000).then(() => 'late');
    const raced = raceWithSignal(work, controller.signal);
    controller.abort(new Error('timed out'));
    await expect(raced).rejects.toThrow('timed out');
  });

  it('rejects at once on an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(raceWithSignal(Promise.reject(new Error('ignored')), controller.signal)).rejects.toThrow('shutting down');
  });
});

describe('waitAtMost', () => {
  it('returns the value in time', async () => {
    await expect(waitAtMost(Promise.resolve('done'), 100)).resolves.toBe('done');
  });

  it('returns undefined after the wait', async () => {
    await expect(waitAtMost(sleep(200).then(() => 'late'), 10)).resolves.toBeUndefined();
  });
});
