import { describe, expect, it } from "vitest";
import { checkAddress, checkUrl, type OutboundPolicy } from "../src/policy";

const strict: OutboundPolicy = { allowPrivateNetworks: false, requireHttps: true };
const local: OutboundPolicy = { allowPrivateNetworks: true, requireHttps: true };
const development: OutboundPolicy = { allowPrivateNetworks: false, requireHttps: false };

const code = (verdict: { ok: boolean; refusal?: { code: string } }) => (verdict.ok ? "ok" : verdict.refusal?.code);

describe("checkUrl", () => {
  it.each([
    ["https://hooks.slack.com/services/T0/B0/x", strict, "ok"],
    ["http://hooks.example.com/x", strict, "https-required"],
    ["http://hooks.example.com/x", development, "ok"],
    // A name may resolve to a private address, which the local setting lets through over http.
    ["http://simulator.internal:8765", local, "ok"],
    ["ftp://example.com/x", development, "scheme"],
    ["file:///etc/passwd", development, "scheme"],
    ["not a url", development, "invalid-url"],
    ["https://127.0.0.1/x", strict, "loopback"],
    ["https://127.0.0.1/x", local, "ok"],
    ["http://127.0.0.1:8765", local, "ok"],
    // The WHATWG parser turns these spellings of 127.0.0.1 into the dotted quad before the policy sees them.
    ["https://2130706433/", strict, "loopback"],
    ["https://0x7f.1/", strict, "loopback"],
    ["https://127.1/", strict, "loopback"],
    ["https://[::1]/", strict, "loopback"],
    ["https://[::ffff:7f00:1]/", strict, "loopback"],
    ["https://[::ffff:127.0.0.1]/", strict, "loopback"],
    ["https://10.0.0.8/", strict, "private"],
    ["https://192.168.1.20/", local, "ok"],
    ["https://169.254.169.254/latest/meta-data/", strict, "metadata"],
    ["https://169.254.169.254/latest/meta-data/", local, "metadata"],
    ["http://[fd00:ec2::254]/", local, "metadata"],
    ["https://169.254.10.10/", local, "link-local"],
    ["https://[fe80::1]/", local, "link-local"],
    ["https://0.0.0.0/", local, "special"],
    ["https://224.0.0.1/", local, "special"],
  ] as const)("%s under %o: %s", (url, policy, expected) => {
    expect(code(checkUrl(url, policy))).toBe(expected);
  });
});

describe("checkAddress", () => {
  it("wants https to public addresses in production, and lets local ones through only with the setting", () => {
    expect(code(checkAddress("93.184.216.34", "http:", strict))).toBe("https-required");
    expect(code(checkAddress("93.184.216.34", "https:", strict))).toBe("ok");
    expect(code(checkAddress("10.0.0.1", "http:", strict))).toBe("private");
    expect(code(checkAddress("10.0.0.1", "http:", local))).toBe("ok");
    expect(code(checkAddress("100.64.1.1", "https:", strict))).toBe("private");
    expect(code(checkAddress("::1", "https:", strict))).toBe("loopback");
  });

  it("refuses link-local and metadata addresses whatever the setting", () => {
    for (const policy of [strict, local, development, { allowPrivateNetworks: true, requireHttps: false }]) {
      expect(code(checkAddress("169.254.169.254", "https:", policy))).toBe("metadata");
      expect(code(checkAddress("fe80::abcd", "https:", policy))).toBe("link-local");
      expect(code(checkAddress("::ffff:169.254.1.1", "https:", policy))).toBe("link-local");
    }
  });

  it("gives a fixed message per reason", () => {
    const verdict = checkAddress("169.254.169.254", "https:", strict);
    expect(verdict).toEqual({ ok: false, refusal: { code: "metadata", message: "This address is a cloud metadata service: always refused." } });
  });
});
