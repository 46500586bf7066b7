import { describe, expect, it } from 'vitest';
import { clientKey } from '../../../src/observability/queue-dashboard.js';

describe('whom a failed dashboard login counts against', () => {
  it('an IPv4 address, also when the socket reports it mapped into IPv6', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('an IPv6 address’s /64, however it is written', () => {
    expect(clientKey('2001:db8:0:12:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:12::/64');
    expect(clientKey('2001:0DB8:0000:0012::1')).toBe('2001:db8:0:12::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('no address at all (a closed socket) is one shared key', () => {
    expect(clientKey(undefined)).toBe('unknown');
  });
});
