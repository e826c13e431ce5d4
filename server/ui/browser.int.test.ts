import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../services/config.js";
import { startServer, type RunningServer } from "../index.js";
import { createTestApp, sampleResult, TEST_KEY } from "../../test/support/server.js";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe("buyer page in headless Chromium", () => {
  let browser: Browser;
  let server: RunningServer;
  let fixture: ReturnType<typeof createTestApp>;

  beforeAll(async () => {
    fixture = createTestApp();
    fixture.deps.store.putLatest(sampleResult("b1"), "nearline");
    server = await startServer({ deps: fixture.deps, port: 0, host: "127.0.0.1", print: null });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fixture?.close();
  });

  it("loads from a key link, shows every section, expands a query and saves a screenshot", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const res = await page.goto(`${server.url}/ui/users/b1?key=${TEST_KEY}`);
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).search).toBe("");
    for (const id of ["portrait", "cfv", "trends", "queries", "chain"]) {
      await expect(page.locator(`section#${id}`).isVisible()).resolves.toBe(true);
    }
    expect(await page.locator("#buyer-id").textContent()).toBe("b1");
    expect(await page.locator("#cfv .bar").count()).toBe(4);
    expect(await page.locator("#chain-svg g.node").count()).toBeGreaterThanOrEqual(6);
    const uqBar = await page.locator("summary .uq i").first().boundingBox();
    expect(uqBar?.width ?? 0).toBeGreaterThan(50);

    const first = page.locator("details.query").first();
    const firstItem = first.locator("tr.item").first();
    expect(await firstItem.isVisible()).toBe(false);
    await first.locator("summary").click();
    expect(await first.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await firstItem.isVisible()).toBe(true);
    expect(await first.locator("tr.item td").nth(1).textContent()).toBe("法式碎花连衣裙 夏季新款 批发");

    const dir = path.join(PROJECT_ROOT, "test-artifacts");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "buyer-page.png");
    await page.screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  });

  it("renders the API docs offline from assets served by this server", async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(server.url)) external.push(r.url());
    });
    await page.goto(`${server.url}/docs`);
    await page.locator(".swagger-ui .info .title").waitFor({ timeout: 15_000 });
    expect(await page.locator(".swagger-ui .info .title").textContent()).toContain("Chrysalis API");
    expect(await page.locator(".opblock-summary-path").allTextContents()).toEqual(expect.arrayContaining(["/v1/events"]));
    expect(external).toEqual([]);
  });
});
