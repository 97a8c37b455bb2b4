import { describe, expect, it } from "vitest";
import { isPlainLine, isPlainText, lineText } from "../src/text";

describe("plain text", () => {
  it.each([
    ["Desk A", true, true],
    ["Überweisung 東京 🚀", true, true],
    ["two\nlines", false, true],
    ["tab\there", false, true],
    ["nul\u0000byte", false, false],
    ["bell\u0007", false, false],
    ["del\u007f", false, false],
    ["c1\u0085", false, false],
    ["spoof\u202egnp.exe", false, false],
    ["isolate\u2066x\u2069", false, false],
  ])("%j: line %s, text %s", (text, line, free) => {
    expect(isPlainLine(text)).toBe(line);
    expect(isPlainText(text)).toBe(free);
  });

  it("reports a control character as a field error, after trimming and the length bounds", () => {
    const name = lineText({ min: { length: 1, message: "Give it a name." }, max: { length: 10, message: "At most 10 characters." } });
    expect(name.safeParse("  Desk  ").data).toBe("Desk");
    expect(name.safeParse("a\u0000b").error?.issues.map((i) => i.message)).toEqual(["Use printable characters only (no control characters such as NUL)."]);
    expect(name.safeParse("").error?.issues.map((i) => i.message)).toEqual(["Give it a name."]);
  });
});
