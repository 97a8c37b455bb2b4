import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../src/passwords";

describe("passwords", () => {
  it("verifies the right password only, with a salted bcrypt hash of cost 10 or more", async () => {
    const hash = await hashPassword("correct horse");
    expect(hash).toMatch(/^\$2[aby]\$(1\d|[2-9]\d)\$/);
    expect(hash).not.toContain("correct horse");
    expect(await hashPassword("correct horse")).not.toBe(hash);
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("correct horsE", hash)).toBe(false);
  });
});
