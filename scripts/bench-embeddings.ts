/**
 * `npm run bench:embeddings [-- --count N --skip-neo4j]`: embedding throughput (texts/s wall-clock
 * and per server CPU-second) for long 1688-style offer titles in batches of 64 through `Embedder`
 * (the real OpenAIEmbeddings path), and the embedded Neo4j's start time (spawn to `RETURN 1`, on an
 * empty store and on a restart) and resident memory. Embedded servers are private throw-away
 * instances (temporary data dir, free port), so neither other clients nor the dev data interfere.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createEmbedder, embeddingsSettings } from "../llm/embeddings.js";
import { loadServicesConfig, type ServicesConfig } from "../services/config.js";
import { ensureEmbeddings, stopEmbeddings } from "../services/embeddings.js";
import { ServiceError } from "../services/index.js";
import { ensureNeo4j, stopNeo4j } from "../services/neo4j.js";
import { rssKiB } from "../services/process.js";

const PARTS = {
  year: ["2025新款", "2024秋冬", "2025夏季", "跨境爆款", "工厂直销"],
  style: ["法式", "韩系", "新中式", "复古", "ins风", "简约", "甜美", "通勤"],
  pattern: ["碎花", "格纹", "条纹", "纯色", "波点", "印花", "刺绣", "拼接"],
  product: ["连衣裙", "半身裙", "衬衫", "针织开衫", "手机壳", "帆布包", "卡套", "发夹", "马克杯", "笔记本"],
  tail: ["女夏季显瘦气质中长款雪纺裙子", "宽松百搭大码遮肉", "高级感小众设计", "防摔全包硅胶软壳", "大容量单肩斜挎", "学生ins少女心"],
  trade: ["批发", "一件代发", "厂家直供 支持定制", "现货速发 量大从优", "源头工厂 跨境专供"],
};

/** Deterministic long titles (no randomness: the i-th title is a fixed combination). */
export function benchTitles(n: number): string[] {
  const pick = (xs: string[], i: number) => xs[i % xs.length];
  return Array.from({ length: n }, (_, i) =>
    [pick(PARTS.year, i), pick(PARTS.style, i >> 1), pick(PARTS.pattern, i >> 2), pick(PARTS.product, i * 7), pick(PARTS.tail, i >> 3), pick(PARTS.trade, i * 3), `#${i}`].join(""),
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function benchEmbeddings(base: ServicesConfig, count: number): Promise<void> {
  const external = Boolean(base.embeddings.baseUrl);
  const scratch = external ? null : fs.mkdtempSync(path.join(os.tmpdir(), "chrysalis-bench-emb-"));
  const cfg: ServicesConfig = scratch ? { ...base, dataDir: scratch, embeddings: { ...base.embeddings, port: await freePort() } } : base;
  const up = await ensureEmbeddings(cfg);
  try {
    const embedder = await createEmbedder({ ...embeddingsSettings(cfg, up.baseUrl), batchSize: 64 });
    const titles = benchTitles(count);
    const meanChars = titles.reduce((s, t) => s + [...t].length, 0) / titles.length;
    await embedder.embedDocuments(titles.slice(0, 64));
    const cpu0 = up.pid ? cpuSeconds(up.pid) : null;
    const t0 = performance.now();
    const vectors = await embedder.embedDocuments(titles);
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = up.pid ? cpuSeconds(up.pid) : null;
    const q0 = performance.now();
    for (const t of titles.slice(0, 20)) await embedder.embedQuery(t);
    const queryMs = (performance.now() - q0) / 20;
    console.log(`embeddings  ${up.baseUrl}${external ? "" : " (private instance)"}  model ${cfg.embeddings.model}  dim ${embedder.dimensions}`);
    console.log(`  ${vectors.length} titles (mean ${meanChars.toFixed(1)} chars) in batches of 64: ${seconds.toFixed(2)} s = ${(vectors.length / seconds).toFixed(1)} texts/s wall-clock`);
    if (cpu0 !== null && cpu1 !== null && cpu1 > cpu0) {
      console.log(`  server CPU: ${(cpu1 - cpu0).toFixed(1)} s = ${(vectors.length / (cpu1 - cpu0)).toFixed(1)} texts per CPU-second`);
    }
    console.log(`  single query latency: ${queryMs.toFixed(1)} ms`);
    if (up.pid) console.log(`  server RSS: ${((rssKiB(up.pid) ?? 0) / 1024).toFixed(0)} MiB (pid ${up.pid})`);
  } finally {
    if (scratch) {
      await stopEmbeddings(cfg);
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
}

async function benchNeo4j(base: ServicesConfig): Promise<void> {
  if (base.neo4j.uri) {
    console.log("neo4j: NEO4J_URI is set; start time and memory are measured only for the embedded server");
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chrysalis-bench-"));
  const cfg: ServicesConfig = { ...base, dataDir, neo4j: { ...base.neo4j, boltPort: await freePort() } };
  try {
    for (const label of ["empty store", "restart"]) {
      const t0 = performance.now();
      const up = await ensureNeo4j(cfg, "dev");
      const seconds = (performance.now() - t0) / 1000;
      const rss = up.pid ? rssKiB(up.pid) : null;
      console.log(`neo4j (${label})  ${up.uri}  heap ${cfg.neo4j.heap}, page cache ${cfg.neo4j.pagecacheMb} MiB`);
      console.log(`  start to RETURN 1: ${seconds.toFixed(1)} s; RSS ${rss === null ? "?" : `${(rss / 1024).toFixed(0)} MiB`} (pid ${up.pid})`);
      await stopNeo4j(cfg, "dev");
    }
  } finally {
    await stopNeo4j(cfg, "dev");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: "string", default: "1024" }, "skip-neo4j": { type: "boolean", default: false } } });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 64) throw new ServiceError("--count must be an integer >= 64");
  const cfg = loadServicesConfig();
  console.log(`machine: ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  await benchEmbeddings(cfg, count);
  if (!values["skip-neo4j"]) await benchNeo4j(cfg);
}

main().catch((e: unknown) => {
  console.error(e instanceof ServiceError ? `error: ${e.message}` : e);
  process.exit(1);
});
