/**
 * Test doubles for the server: a sample result, a scripted runner, in-memory event sink and
 * buyer directory, and `createTestApp()` wiring them (with a real in-memory SQLite store and the
 * real trigger engine) into the real app.
 */
import { pino } from "pino";
import { z } from "zod";
import type { RecommendationResult } from "../../contracts/result.js";
import type { EventRecord } from "../../contracts/records.js";
import { createApp, type AppDeps } from "../../server/app.js";
import { DEFAULT_LIMITS, DEFAULT_TRIGGERS, type ServerLimits, type TriggerSettings } from "../../server/env.js";
import { createMetrics } from "../../server/metrics.js";
import type { EventSink, ReadinessProbe, SinkRejection, UserDirectory } from "../../server/ports.js";
import type { NodeProgress, RecommendationRunner, RunOptions } from "../../server/runner.js";
import { openSqliteResultStore, type ResultStore } from "../../server/store.js";
import { createLocalTriggerEngine, type Clock } from "../../server/triggers.js";

export const TEST_KEY = "test-key-0123456789abcdef";

/** A complete, schema-valid result for `userId` (two queries, three items, chains). */
export function sampleResult(userId: string, runId = `run-${userId}`): RecommendationResult {
  return {
    userId,
    asOf: "2025-06-01T00:00:00.000Z",
    runId,
    generatedAt: "2025-06-01T00:00:05.000Z",
    portrait: {
      reasons: ["75% of orders are dresses"],
      mainCategories: [
        { categoryId: "c-dress", name: "连衣裙", share: 0.75 },
        { categoryId: "c-skirt", name: "半身裙", share: 0.25 },
      ],
      bType: "boutique",
      dropShipperType: "none",
      coreIntent: "restock French floral dresses for a small boutique",
      profile: { identity: "实体女装店", customerGroup: "25-35岁女性", operatingStrategy: "小批量多款", purchaseMotive: "换季上新" },
    },
    cfv: {
      categories: [
        {
          categoryId: "c-dress",
          name: "连衣裙",
          long: [
            { id: "cfv:long:c-dress:v-french", valueId: "v-french", name: "法式", factor: "风格", weight: 9, support: [] },
            { id: "cfv:long:c-dress:v-floral", valueId: "v-floral", name: "碎花", factor: "图案", weight: 8, support: [] },
          ],
          recent: [{ id: "cfv:recent:c-dress:v-black", valueId: "v-black", name: "黑色", factor: "颜色", weight: 7, support: [] }],
          potential: [{ id: "cfv:potential:c-dress:v-linen", valueId: "v-linen", name: "亚麻", factor: "材质", weight: 5, support: ["trend:d1"] }],
        },
      ],
    },
    compression: { tuples: 12, rawTokens: 5400, compressedTokens: 610, factorMassKept: 0.93, text: "#250504_连衣裙_22_65_3_法式:9|碎花:8" },
    trends: [
      { id: "sp-1", term: "亚麻", valueName: "亚麻", factor: "材质", weight: 0.8, sources: ["xiaohongshu", "taobao_hot"], docIds: ["d1", "d2"] },
      { id: "sp-2", term: "泡泡袖", valueName: null, factor: null, weight: 0.4, sources: ["worthbuy"], docIds: ["d3"] },
    ],
    queries: [
      {
        id: "q1",
        text: "法式碎花连衣裙 批发",
        categoryId: "c-dress",
        categoryName: "连衣裙",
        valueIds: ["v-french", "v-floral"],
        values: ["法式", "碎花"],
        horizon: "long",
        evidence: [{ kind: "cfv", id: "cfv:long:c-dress:v-french" }],
        uq: { score: 0.82, paths: [{ type: "behaved_value", weight: 0.6, description: "ordered 3 法式 dresses" }] },
        critic: { verdict: "pass", issues: [], loops: 0 },
      },
      {
        id: "q2",
        text: "亚麻连衣裙 夏季",
        categoryId: "c-dress",
        categoryName: "连衣裙",
        valueIds: ["v-linen"],
        values: ["亚麻"],
        horizon: "trend",
        evidence: [{ kind: "trend", id: "d1" }],
        uq: { score: 0.41, paths: [{ type: "trend_support", weight: 0.3, description: "2 sources mention 亚麻" }] },
        critic: { verdict: "pass", issues: [], loops: 1 },
      },
    ],
    items: [
      {
        rank: 1,
        itemId: "i-100",
        title: "法式碎花连衣裙 夏季新款 批发",
        shortTitle: "法式碎花裙",
        categoryId: "c-dress",
        price: 45.5,
        moq: 3,
        launchedAt: "2025-05-20T00:00:00.000Z",
        score: 0.91,
        queryIds: ["q1"],
        flags: { newItem: true, trend: false, newSeller: false },
        chain: [
          { kind: "tuple", id: "t:250504:c-dress", label: "3 orders of 法式 dresses" },
          { kind: "cfv", id: "cfv:long:c-dress:v-french", label: "法式:9" },
          { kind: "query", id: "q1", label: "法式碎花连衣裙 批发" },
          { kind: "item", id: "i-100", label: "法式碎花裙" },
        ],
      },
      {
        rank: 2,
        itemId: "i-200",
        title: "亚麻连衣裙 宽松 夏",
        shortTitle: "亚麻裙",
        categoryId: "c-dress",
        price: 58,
        moq: 2,
        launchedAt: "2025-04-01T00:00:00.000Z",
        score: 0.77,
        queryIds: ["q2"],
        flags: { newItem: false, trend: true, newSeller: true },
        chain: [
          { kind: "trend", id: "d1", label: "亚麻 on xiaohongshu" },
          { kind: "query", id: "q2", label: "亚麻连衣裙 夏季" },
          { kind: "item", id: "i-200", label: "亚麻裙" },
        ],
      },
      {
        rank: 3,
        itemId: "i-300",
        title: "法式亚麻碎花裙",
        shortTitle: "法式亚麻裙",
        categoryId: "c-dress",
        price: 62,
        moq: 2,
        launchedAt: "2025-03-01T00:00:00.000Z",
        score: 0.7,
        queryIds: ["q1", "q2"],
        flags: { newItem: false, trend: true, newSeller: false },
        chain: [
          { kind: "cfv", id: "cfv:long:c-dress:v-french", label: "法式:9" },
          { kind: "query", id: "q1", label: "法式碎花连衣裙 批发" },
          { kind: "item", id: "i-300", label: "法式亚麻裙" },
        ],
      },
    ],
    hallucination: { before: 0.25, after: 0, loops: 1 },
    steps: [{ role: "portrait", reasoner: "analytic", degraded: false, llmCalls: 0, promptTokens: 0 }],
    timings: [{ node: "load_context", ms: 12, llmCalls: 0, promptTokens: 0 }],
  };
}

export const FAKE_NODES = ["load_context", "compress_behavior", "build_portrait", "explain"] as const;

export interface FakeRunner extends RecommendationRunner {
  calls: { userId: string; opts: RunOptions }[];
  /** Runs in progress per buyer right now, and the most ever seen at once. */
  active: Map<string, number>;
  maxActivePerUser: number;
  maxActive: number;
}

/**
 * A runner that reports `FAKE_NODES` one by one (`stepMs` apart), honours its signal, and
 * resolves to `sampleResult`. `fail` makes it reject; `stepMs` large simulates slow runs.
 */
export function createFakeRunner(opts: { stepMs?: number; fail?: (userId: string) => boolean } = {}): FakeRunner {
  const stepMs = opts.stepMs ?? 0;
  let n = 0;
  let current = 0;
  const runner: FakeRunner = {
    configSchema: z.object({ maxCriticLoops: z.number().int().min(0).max(10).optional(), queryCount: z.number().int().min(1).max(50).optional() }).strict(),
    calls: [],
    active: new Map(),
    maxActivePerUser: 0,
    maxActive: 0,
    async run(userId, runOpts) {
      runner.calls.push({ userId, opts: runOpts });
      const a = (runner.active.get(userId) ?? 0) + 1;
      runner.active.set(userId, a);
      runner.maxActivePerUser = Math.max(runner.maxActivePerUser, a);
      current += 1;
      runner.maxActive = Math.max(runner.maxActive, current);
      try {
        for (const node of FAKE_NODES) {
          await new Promise<void>((resolve, reject) => {
            if (runOpts.signal?.aborted) return reject(runOpts.signal.reason);
            const t = setTimeout(resolve, stepMs);
            runOpts.signal?.addEventListener("abort", () => (clearTimeout(t), reject(runOpts.signal?.reason)), { once: true });
          });
          const p: NodeProgress = { node, ms: stepMs, summary: { node } };
          runOpts.onNode?.(p);
        }
        if (opts.fail?.(userId)) throw new Error("scripted failure");
        n += 1;
        return { ...sampleResult(userId, `run-${n}`), asOf: runOpts.asOf ?? sampleResult(userId).asOf };
      } finally {
        runner.active.set(userId, (runner.active.get(userId) ?? 1) - 1);
        current -= 1;
      }
    },
  };
  return runner;
}

/**
 * An in-memory sink: the first write of an id wins (same content again is a duplicate, other
 * content a conflict), rejects items not in `knownItems`.
 */
export function createMemorySink(knownItems: Iterable<string>): EventSink & { stored: Map<string, EventRecord>; users: Set<string> } {
  const items = new Set(knownItems);
  const stored = new Map<string, EventRecord>();
  const users = new Set<string>();
  return {
    stored,
    users,
    async write(events) {
      const rejected: SinkRejection[] = [];
      const duplicates: number[] = [];
      events.forEach((e, index) => {
        const before = stored.get(e.id);
        if (before) {
          if (JSON.stringify(before) === JSON.stringify(e)) duplicates.push(index);
          else rejected.push({ index, code: "event_id_conflict", message: `event id ${e.id} is already used by an event with other content` });
          return;
        }
        if (e.itemId !== undefined && !items.has(e.itemId)) {
          rejected.push({ index, code: "unknown_item", message: `unknown item ${e.itemId}` });
          return;
        }
        users.add(e.userId);
        stored.set(e.id, e);
      });
      return { duplicates, rejected };
    },
  };
}

export function createMemoryUsers(ids: Iterable<string>): UserDirectory & { ids: Set<string> } {
  const set = new Set(ids);
  return { ids: set, exists: async (id) => set.has(id) };
}

export interface TestAppOptions {
  runner?: RecommendationRunner;
  users?: UserDirectory;
  events?: EventSink;
  store?: ResultStore;
  probes?: ReadinessProbe[];
  limits?: Partial<ServerLimits>;
  triggers?: Partial<TriggerSettings>;
  clock?: Clock;
  now?: () => Date;
}

/** The real app over fakes; `close()` stops the trigger engine and the store. */
export function createTestApp(opts: TestAppOptions = {}) {
  const logger = pino({ level: "silent" });
  const metrics = createMetrics();
  const runner = opts.runner ?? createFakeRunner();
  const store = opts.store ?? openSqliteResultStore(":memory:");
  const limits = { ...DEFAULT_LIMITS, rateLimitBurst: 10_000, rateLimitPerSecond: 10_000, ...opts.limits };
  const triggers = createLocalTriggerEngine({
    runner,
    store,
    settings: { ...DEFAULT_TRIGGERS, minIntervalMs: 0, ...opts.triggers },
    logger,
    metrics,
    clock: opts.clock,
    runTimeoutMs: limits.invokeTimeoutMs,
  });
  const deps: AppDeps = {
    runner,
    events: opts.events ?? createMemorySink(["i-100", "i-200", "i-300"]),
    users: opts.users ?? createMemoryUsers(["b1", "b2"]),
    store,
    triggers,
    probes: opts.probes ?? [],
    apiKeys: [TEST_KEY],
    limits,
    logger,
    metrics,
    now: opts.now ?? (() => new Date()),
  };
  const app = createApp(deps);
  return {
    app,
    deps,
    auth: { Authorization: `Bearer ${TEST_KEY}` },
    async close() {
      await triggers.close();
      store.close();
    },
  };
}
