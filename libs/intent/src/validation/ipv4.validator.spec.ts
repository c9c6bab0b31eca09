import { hostAddressProblem, inSubnet, netmaskToPrefix, parseCidr, parseIpv4, prefixToNetmask, routeDestination, subnetsOverlap } from './ipv4.validator';

describe('ipv4 validator', () => {
  it.each(['192.168.100.20', '0.0.0.0', '255.255.255.255'])('parses %j', (text) => expect(parseIpv4(text)).not.toBeNull());
  it.each(['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.4 ', '', 'a.b.c.d', '1.2.3.-4', '1..2.3'])('rejects %j', (text) => {
    expect(parseIpv4(text)).toBeNull();
  });

  it('converts netmasks and prefixes both ways, rejecting holes', () => {
    expect(netmaskToPrefix('255.255.255.0')).toBe(24);
    expect(netmaskToPrefix('255.255.0.0')).toBe(16);
    expect(netmaskToPrefix('255.255.255.255')).toBe(32);
    expect(netmaskToPrefix('0.0.0.0')).toBe(0);
    expect(netmaskToPrefix('255.0.255.0')).toBeNull();
    expect(prefixToNetmask(24)).toBe('255.255.255.0');
    expect(prefixToNetmask(20)).toBe('255.255.240.0');
  });

  it('parses CIDRs strictly', () => {
    expect(parseCidr('10.0.100.20/24')).toEqual({ address: '10.0.100.20', prefix: 24 });
    expect(parseCidr('10.0.100.20')).toEqual({ address: '10.0.100.20', prefix: null });
    expect(parseCidr('10.0.100.20/33')).toBeNull();
    expect(parseCidr('10.0.100.20/024')).toBeNull();
    expect(parseCidr('10.0.100.20/24/1')).toBeNull();
  });

  it('does subnet arithmetic', () => {
    const a = parseIpv4('192.168.100.20') as number;
    expect(inSubnet(parseIpv4('192.168.100.1') as number, a, 24)).toBe(true);
    expect(inSubnet(parseIpv4('192.168.101.1') as number, a, 24)).toBe(false);
    expect(subnetsOverlap(a, 24, parseIpv4('192.168.0.0') as number, 16)).toBe(true);
    expect(subnetsOverlap(a, 24, parseIpv4('10.0.100.0') as number, 24)).toBe(false);
  });

  it.each([
    ['169.254.5.5', 16, '169.254.0.0/16'],
    ['192.168.100.0', 24, 'network or broadcast'],
    ['192.168.100.255', 24, 'network or broadcast'],
    ['127.0.0.1', 8, 'unicast'],
    ['224.0.0.1', 24, 'unicast'],
  ])('%j/%d is not a host address (%s)', (address, prefix, reason) => {
    expect(hostAddressProblem(address, prefix)).toContain(reason);
  });

  it('accepts /31 and /32 host addresses', () => {
    expect(hostAddressProblem('10.0.0.0', 31)).toBeNull();
    expect(hostAddressProblem('10.0.0.7', 32)).toBeNull();
  });
});

describe('routeDestination: one form for a route destination', () => {
  it('gives a host route printed without its /32 the /32, and the default route one name', () => {
    expect(routeDestination('10.1.1.5')).toBe('10.1.1.5/32');
    expect(routeDestination('10.1.1.5/32')).toBe('10.1.1.5/32');
    expect(routeDestination('10.2.0.0/16')).toBe('10.2.0.0/16');
    expect(routeDestination('0.0.0.0/0')).toBe('default');
    expect(routeDestination('default')).toBe('default');
  });
});
