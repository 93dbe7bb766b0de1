import { headerValue, storableHeaders } from './webhook-headers';

describe('storableHeaders', () => {
  it('drops credentials and keeps the rest', () => {
    expect(
      storableHeaders({
        'Content-Type': 'application/json',
        authorization: 'Basic abc',
        'proxy-authorization': 'Basic abc',
        cookie: 'a=b',
        'x-webhook-secret': 'x',
        'x-api-key': 'x',
        'x-auth-token': 'x',
        'x-zammad-delivery': '42',
        'x-forwarded-for': ['10.0.0.1', '10.0.0.2'],
      }),
    ).toEqual({ 'content-type': 'application/json', 'x-zammad-delivery': '42', 'x-forwarded-for': '10.0.0.1, 10.0.0.2' });
  });

  it('drops extra named headers', () => {
    expect(storableHeaders({ 'x-smax-check': 'shared', accept: '*/*' }, ['X-SMAX-Check'])).toEqual({ accept: '*/*' });
  });
});

describe('headerValue', () => {
  it('reads names in any case', () => {
    expect(headerValue({ 'x-zammad-delivery': '42' }, 'X-Zammad-Delivery')).toBe('42');
  });

  it('takes the first of repeated values', () => {
    expect(headerValue({ 'x-id': ['a', 'b'] }, 'x-id')).toBe('a');
  });

  it('returns undefined for an absent header', () => {
    expect(headerValue({}, 'x-id')).toBeUndefined();
  });
});
