import { describe, expect, it } from "vitest";
import { readBio } from "./bio.js";
import { productTypeSpans } from "./product-type.js";
import { segment } from "./segment.js";

const sample = readBio(new URL("./fixtures/dev-sample.bio", import.meta.url).pathname);
const types = (title: string) => productTypeSpans(segment(title)).map((s) => s.text);

describe("productTypeSpans", () => {
  it("finds head-final product nouns and joins a one-character head to the word before it", () => {
    expect(types("家用防尘厨房厨师帽子车间工厂鸭舌工作帽男女食堂餐厅食品卫生帽")).toEqual(expect.arrayContaining(["帽子", "工作帽"]));
    expect(types("法式小碎花连衣裙女夏季显瘦")).toEqual(["连衣裙"]);
  });

  it("never calls an attribute or a noise word a product type", () => {
    const found = types("2025新款韩版纯棉黑色批发包邮");
    expect(found).not.toContain("纯棉");
    expect(found).not.toContain("黑色");
    expect(found).not.toContain("批发");
  });

  it("joins a modifier to a noun only when the catalog saw the compound often enough", () => {
    const tokens = segment("桌面式电话会议电话转接器");
    const rare = productTypeSpans(tokens, { compoundSupport: () => 0 }).map((s) => s.text);
    const common = productTypeSpans(tokens, { compoundSupport: (c) => (c === "电话转接器" ? 10 : 0) }).map((s) => s.text);
    expect(common).toContain("电话转接器");
    expect(rare).toContain("转接器");
    expect(rare).not.toContain("电话转接器");
  });

  it("recalls most labelled product types of the real sample", () => {
    let gold = 0;
    let hit = 0;
    for (const t of sample) {
      const found = types(t.text);
      for (const s of t.spans.filter((x) => x.type === "HCCX")) {
        gold++;
        if (found.includes(s.text.toLowerCase())) hit++;
      }
    }
    expect(hit / gold).toBeGreaterThan(0.4);
  });
});
