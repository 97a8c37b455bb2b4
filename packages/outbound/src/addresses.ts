// What kind of network an IP address belongs to, from its text alone (no IO). IPv4 in dotted-quad form, IPv6 in
// any RFC 4291 form; the IPv6 forms that carry an IPv4 address (mapped, translated, compatible, NAT64, 6to4) are
// judged by the IPv4 address inside, so ::ffff:127.0.0.1 is loopback like 127.0.0.1.

export const ADDRESS_CLASSES = [
  "public",
  "loopback",
  "private",
  "carrier-nat",
  "link-local",
  "metadata",
  "unspecified",
  "multicast",
  "reserved",
] as const;
export type AddressClass = (typeof ADDRESS_CLASSES)[number];

type Range = readonly [prefix: bigint, length: number, kind: AddressClass];

/** Dotted-quad IPv4 as a 32-bit number; null for anything else. */
export function parseIPv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** IPv6 (a zone id such as %eth0 allowed and ignored) as a 128-bit number; null for anything else. */
export function parseIPv6(text: string): bigint | null {
  const address = text.replace(/%[\w.~-]+$/, "");
  if (!/^[\da-fA-F:.]+$/.test(address)) return null;
  const halves = address.split("::");
  if (halves.length > 2) return null;
  // `last`: this half ends the address, the only place an IPv4 tail may stand.
  const groups = (half: string | undefined, last: boolean): number[] | null => {
    if (half === undefined || half === "") return [];
    const out: number[] = [];
    const pieces = half.split(":");
    for (const [index, piece] of pieces.entries()) {
      if (piece.includes(".")) {
        // An IPv4 tail (::ffff:1.2.3.4) is two groups, and only at the very end.
        const v4 = last && index === pieces.length - 1 ? parseIPv4(piece) : null;
        if (v4 === null) return null;
        out.push(Math.floor(v4 / 65_536), v4 % 65_536);
      } else {
        if (!/^[\da-fA-F]{1,4}$/.test(piece)) return null;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const compressed = halves.length === 2;
  const head = groups(halves[0], !compressed);
  const tail = groups(halves[1], true);
  if (head === null || tail === null) return null;
  if (compressed ? head.length + tail.length > 7 : head.length !== 8) return null;
  const all = [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  return all.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

const v4 = (dotted: string, length: number, kind: AddressClass): Range => {
  const value = parseIPv4(dotted);
  if (value === null) throw new Error(`bad range ${dotted}`);
  return [BigInt(value), length, kind];
};
const v6 = (text: string, length: number, kind: AddressClass): Range => {
  const value = parseIPv6(text);
  if (value === null) throw new Error(`bad range ${text}`);
  return [value, length, kind];
};

// Most specific first: the first range that contains the address decides.
const IPV4_RANGES: readonly Range[] = [
  // Cloud metadata services: AWS, GCP, Azure, OpenStack (169.254.169.254), AWS ECS task metadata, Alibaba Cloud.
  v4("169.254.169.254", 32, "metadata"),
  v4("169.254.170.2", 32, "metadata"),
  v4("100.100.100.200", 32, "metadata"),
  v4("0.0.0.0", 8, "unspecified"),
  v4("10.0.0.0", 8, "private"),
  v4("100.64.0.0", 10, "carrier-nat"),
  v4("127.0.0.0", 8, "loopback"),
  v4("169.254.0.0", 16, "link-local"),
  v4("172.16.0.0", 12, "private"),
  v4("192.0.0.0", 24, "reserved"),
  v4("192.0.2.0", 24, "reserved"),
  v4("192.88.99.0", 24, "reserved"),
  v4("192.168.0.0", 16, "private"),
  v4("198.18.0.0", 15, "reserved"),
  v4("198.51.100.0", 24, "reserved"),
  v4("203.0.113.0", 24, "reserved"),
  v4("224.0.0.0", 4, "multicast"),
  v4("240.0.0.0", 4, "reserved"),
];

const IPV6_RANGES: readonly Range[] = [
  v6("fd00:ec2::254", 128, "metadata"),
  v6("::", 128, "unspecified"),
  v6("::1", 128, "loopback"),
  v6("64:ff9b:1::", 48, "private"),
  v6("100::", 64, "reserved"),
  // IETF protocol assignments (Teredo, ORCHID and others) and documentation.
  v6("2001::", 23, "reserved"),
  v6("2001:db8::", 32, "reserved"),
  v6("fc00::", 7, "private"),
  v6("fe80::", 10, "link-local"),
  v6("fec0::", 10, "private"),
  v6("ff00::", 8, "multicast"),
  v6("2000::", 3, "public"),
];

function inRange(value: bigint, bits: number, [prefix, length]: Range): boolean {
  const shift = BigInt(bits - length);
  return value >> shift === prefix >> shift;
}

function classifyV4(value: number): AddressClass {
  const range = IPV4_RANGES.find((candidate) => inRange(BigInt(value), 32, candidate));
  return range?.[2] ?? "public";
}

// IPv6 forms with an IPv4 address in their low (or, for 6to4, middle) 32 bits.
function embeddedIPv4(value: bigint): number | null {
  const high96 = value >> 32n;
  const low32 = Number(value & 0xffff_ffffn);
  if (high96 === 0xffffn) return low32; // ::ffff:a.b.c.d, IPv4-mapped
  if (high96 === 0xffff_0000n) return low32; // ::ffff:0:a.b.c.d, IPv4-translated
  if (high96 === 0n && value > 1n) return low32; // ::a.b.c.d, IPv4-compatible (deprecated)
  if (high96 === 0x64_ff9b_0000_0000_0000_0000n) return low32; // 64:ff9b::a.b.c.d, NAT64
  if (value >> 112n === 0x2002n) return Number((value >> 80n) & 0xffff_ffffn); // 2002:aabb:ccdd::, 6to4
  return null;
}

/** The class of an IP address in text form; anything that is not an IP address is "reserved". */
export function classifyAddress(text: string): AddressClass {
  const ipv4 = parseIPv4(text);
  if (ipv4 !== null) return classifyV4(ipv4);
  const ipv6 = parseIPv6(text);
  if (ipv6 === null) return "reserved";
  const inner = embeddedIPv4(ipv6);
  if (inner !== null) return classifyV4(inner);
  const range = IPV6_RANGES.find((candidate) => inRange(ipv6, 128, candidate));
  return range?.[2] ?? "reserved";
}

export function isIpLiteral(text: string): boolean {
  return parseIPv4(text) !== null || parseIPv6(text) !== null;
}
