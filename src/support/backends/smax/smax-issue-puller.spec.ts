import { nextPosition, PagePosition } from './smax-issue-puller';
import { SmaxRequestSnapshot } from './smax.mapper';

function requestsAt(...times: (number | undefined)[]): SmaxRequestSnapshot[] {
  return times.map((time, index) => ({ id: String(50001 + index), version: time }) as SmaxRequestSnapshot);
}

describe('nextPosition', () => {
  const start: PagePosition = { since: new Date(1_000), skip: 0 };

  it('continues from the last update time', () => {
    expect(nextPosition(start, requestsAt(1_000, 2_000, 3_000), 3)).toEqual({ since: new Date(3_000), skip: 1 });
  });

  it('skips every Request of the last time already read', () => {
    expect(nextPosition(start, requestsAt(2_000, 3_000, 3_000), 3)).toEqual({ since: new Date(3_000), skip: 2 });
  });

  it('carries the skip when a page shares one time', () => {
    const position: PagePosition = { since: new Date(3_000), skip: 2 };
    expect(nextPosition(position, requestsAt(3_000, 3_000), 4)).toEqual({ since: new Date(3_000), skip: 4 });
  });

  it('falls back to the offset without update times', () => {
    expect(nextPosition(start, requestsAt(2_000, undefined), 2)).toEqual({ since: new Date(1_000), skip: 2 });
  });
});
