import { describe, expect, it } from "vitest";
import { escapeLucene } from "./repositories.js";

describe("escapeLucene", () => {
  it("escapes query syntax so user text is searched as terms", () => {
    expect(escapeLucene('碎花 "连衣裙" (批发) title:x a+b* c?~')).toBe('碎花 \\"连衣裙\\" \\(批发\\) title\\:x a\\+b\\* c\\?\\~');
    expect(escapeLucene("a/b\\c [1 TO 2] {x} !y ^z &&w ||v -u")).toBe(
      "a\\/b\\\\c \\[1 to 2\\] \\{x\\} \\!y \\^z \\&\\&w \\|\\|v \\-u",
    );
  });

  it("lower-cases boolean operators", () => {
    expect(escapeLucene("法式 AND 碎花 OR NOT 黑色")).toBe("法式 and 碎花 or not 黑色");
  });
});
