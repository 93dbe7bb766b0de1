import { versionNumber } from './remote-versions';

describe('versionNumber', () => {
  it('turns a date into epoch milliseconds', () => {
    expect(versionNumber(new Date('2024-01-31T10:20:30.123Z'))).toBe('1706696430123');
  });

  it('keeps integers', () => {
    expect(versionNumber(42)).toBe('42');
    expect(versionNumber(12345678901234567890n)).toBe('12345678901234567890');
    expect(versionNumber('0017')).toBe('17');
    expect(versionNumber('0')).toBe('0');
  });

  it('rejects what is not a version', () => {
    expect(() => versionNumber(new Date('nope'))).toThrow('Remote version is an invalid Date');
    expect(() => versionNumber(1.5)).toThrow('Remote version must be a non-negative safe integer, got 1.5');
    expect(() => versionNumber(-1)).toThrow('non-negative');
    expect(() => versionNumber(-1n)).toThrow('must not be negative');
    expect(() => versionNumber('2024-01-31T10:20:30.000+0000')).toThrow('must be a decimal integer');
  });
});
