import { networkOf } from '../../../src/web/client-ip.js';

test('an IPv4 address counts as itself, also inside an IPv6 one (dual-stack mapping, SIIT, NAT64)', () => {
  expect(networkOf('198.51.100.7')).toBe('198.51.100.7');
  for (const ip of [
    '::ffff:198.51.100.7',
    '::FFFF:198.51.100.7',
    '::ffff:c633:6407',
    '0:0:0:0:0:ffff:198.51.100.7',
    '::ffff:0:198.51.100.7',
    '64:ff9b::198.51.100.7',
    '64:ff9b::c633:6407',
    '::198.51.100.7',
  ])
    expect(networkOf(ip)).toBe('198.51.100.7');
  // Two IPv4 clients behind NAT64 are two budgets, not one /64.
  expect(networkOf('64:ff9b::192.0.2.1')).toBe('192.0.2.1');
});

test('an IPv6 address counts as its /64, however it is written', () => {
  const network = '2001:db8:1:2::/64';
  for (const ip of [
    '2001:db8:1:2::1',
    '2001:db8:1:2:ffff:ffff:ffff:ffff',
    '2001:0DB8:0001:0002:0:0:0:9',
    '2001:db8:1:2::192.0.2.1',
    '2001:db8:1:2:0:ffff:c000:201',
  ])
    expect(networkOf(ip)).toBe(network);
  expect(networkOf('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
  expect(networkOf('::1')).toBe('0:0:0:0::/64');
  expect(networkOf('::')).toBe('0:0:0:0::/64');
  expect(networkOf('2001:db8::')).toBe('2001:db8:0:0::/64');
  expect(networkOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
});

test('anything else is kept as it is (never merged with another address)', () => {
  expect(networkOf('unknown')).toBe('unknown');
  expect(networkOf('')).toBe('');
});
