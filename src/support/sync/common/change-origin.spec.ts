import { currentChangeContext, LOCAL_CHANGE, remoteChange, runWithChangeContext } from './change-origin';

describe('change origin', () => {
  it('is local outside any context', () => {
    expect(currentChangeContext()).toBe(LOCAL_CHANGE);
  });

  it('carries a remote origin across awaits', async () => {
    const seen = await runWithChangeContext(remoteChange('zammad'), async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentChangeContext();
    });
    expect(seen).toEqual({ origin: 'remote', backendName: 'zammad' });
    expect(currentChangeContext()).toBe(LOCAL_CHANGE);
  });

  it('lets an inner context win', async () => {
    const seen = await runWithChangeContext(remoteChange('smax'), () => runWithChangeContext(LOCAL_CHANGE, async () => currentChangeContext()));
    expect(seen).toBe(LOCAL_CHANGE);
  });
});
