import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, sampleResult, TEST_KEY } from "../../test/support/server.js";

const apps: ReturnType<typeof createTestApp>[] = [];
const make = () => {
  const t = createTestApp();
  apps.push(t);
  return t;
};
afterEach(async () => {
  await Promise.all(apps.splice(0).map((t) => t.close()));
});

describe("GET /ui/users/{userId}", () => {
  it("renders the sections of the latest result", async () => {
    const t = make();
    t.deps.store.putLatest(sampleResult("b1"), "nearline");
    const res = await t.app.request("/ui/users/b1", { headers: t.auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    for (const id of ["portrait", "cfv", "trends", "queries", "chain"]) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain("法式碎花连衣裙 批发");
    expect(html).toContain("¥45.50");
    expect(html.match(/<details class="query"/g)).toHaveLength(2);
    expect(html).toContain('<svg id="chain-svg"');
    expect(html).toContain(".uq>i{");
    expect(html).toContain('"Noto Sans CJK SC"');
  });

  it("lists items ranked without a query under their own heading", async () => {
    const t = make();
    const r = sampleResult("b1");
    r.items[0] = { ...r.items[0], queryIds: [], chain: [] };
    t.deps.store.putLatest(r, "invoke");
    const html = await (await t.app.request("/ui/users/b1", { headers: t.auth })).text();
    const section = html.slice(html.indexOf('id="engaged-before"'));
    expect(section).toContain("engaged before, in categories no query covers");
    expect(section).toContain(`data-item-id="${r.items[0].itemId}"`);
    const plain = await (async () => {
      t.deps.store.putLatest(sampleResult("b2"), "invoke");
      return (await t.app.request("/ui/users/b2", { headers: t.auth })).text();
    })();
    expect(plain).not.toContain('id="engaged-before"');
  });

  it("escapes untrusted text", async () => {
    const t = make();
    const r = sampleResult("b1");
    r.items[0].title = "<script>alert(1)</script>";
    t.deps.store.putLatest(r, "invoke");
    const html = await (await t.app.request("/ui/users/b1", { headers: t.auth })).text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;");
  });

  it("answers a 404 page when nothing is stored", async () => {
    const t = make();
    const res = await t.app.request("/ui/users/b2", { headers: t.auth });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("No recommendations yet");
  });

  it("requires a key, and turns a ?key= link into a cookie and a clean URL", async () => {
    const t = make();
    t.deps.store.putLatest(sampleResult("b1"), "invoke");
    expect((await t.app.request("/ui/users/b1")).status).toBe(401);
    expect((await t.app.request("/ui/users/b1?key=wrong-key-0000000000")).status).toBe(401);
    const link = await t.app.request(`/ui/users/b1?key=${TEST_KEY}`);
    expect(link.status).toBe(303);
    expect(link.headers.get("location")).toBe("/ui/users/b1");
    const cookie = link.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const page = await t.app.request("/ui/users/b1", { headers: { Cookie: cookie.split(";")[0] } });
    expect(page.status).toBe(200);
  });

  it("rejects malformed buyer ids", async () => {
    const t = make();
    const res = await t.app.request("/ui/users/a%20b", { headers: t.auth });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "invalid_request" });
  });
});
