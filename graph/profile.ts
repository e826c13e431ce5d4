/**
 * Per-node profiling for benchmarks (`npm run bench:graph -- --profile`). `createProfiler()`
 * wraps the graph's nodes and a run's deps: every node runs inside an `AsyncLocalStorage` scope
 * named after it, and every KG read, U-Q scoring call and embedding request made in that scope is
 * counted and timed against the node, and so is every Cypher round trip (kg/driver.ts observer,
 * between `start()` and `stop()`). Per node it keeps wall time, process CPU time (user + system of
 * this Node process; Neo4j and the embedding server are other processes), KG method calls, Cypher
 * round trips and their wall time, embedding requests, texts and wall time. Reads nothing else, writes
 * nothing; the figures come back from `report()`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { GraphDeps } from "../contracts/deps.js";
import { observeQueries } from "../kg/driver.js";
import type { GraphState, GraphUpdate } from "../contracts/state.js";

type NodeFn = (state: GraphState, config?: RunnableConfig) => Promise<GraphUpdate>;

export interface NodeProfile {
  node: string;
  /** Node invocations profiled. */
  runs: number;
  wallMs: number;
  cpuMs: number;
  /** KG reader and U-Q scorer method calls (several may share one Cypher round trip). */
  kgCalls: number;
  kgMs: number;
  /** Cypher round trips (`readQuery` / `writeQuery`) and their wall time. */
  cypherCalls: number;
  cypherMs: number;
  embedCalls: number;
  embedTexts: number;
  embedMs: number;
}

export interface Profiler {
  /** Starts counting Cypher round trips per node (kg/driver.ts observer); `stop()` ends it. */
  start(): void;
  stop(): void;
  wrapNodes<T extends Record<string, NodeFn>>(nodes: T): T;
  wrapDeps(deps: GraphDeps): GraphDeps;
  /** Totals per node, in first-run order. */
  report(): NodeProfile[];
}

const OUTSIDE = "(outside nodes)";

export function createProfiler(): Profiler {
  const scope = new AsyncLocalStorage<string>();
  const rows = new Map<string, NodeProfile>();
  const row = (node: string): NodeProfile => {
    let r = rows.get(node);
    if (!r) {
      r = { node, runs: 0, wallMs: 0, cpuMs: 0, kgCalls: 0, kgMs: 0, cypherCalls: 0, cypherMs: 0, embedCalls: 0, embedTexts: 0, embedMs: 0 };
      rows.set(node, r);
    }
    return r;
  };

  const timedCall = async <T>(kind: "kg" | "embed", texts: number, call: () => Promise<T>): Promise<T> => {
    const r = row(scope.getStore() ?? OUTSIDE);
    const t0 = performance.now();
    try {
      return await call();
    } finally {
      const ms = performance.now() - t0;
      if (kind === "kg") {
        r.kgCalls += 1;
        r.kgMs += ms;
      } else {
        r.embedCalls += 1;
        r.embedTexts += texts;
        r.embedMs += ms;
      }
    }
  };

  const wrapMethods = <T extends object>(target: T, kind: "kg" | "embed"): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const texts = kind === "embed" ? (Array.isArray(args[0]) ? args[0].length : 1) : 0;
          return timedCall(kind, texts, () => (value as (...a: unknown[]) => Promise<unknown>).apply(obj, args));
        };
      },
    });

  return {
    start() {
      observeQueries((ms) => {
        const r = row(scope.getStore() ?? OUTSIDE);
        r.cypherCalls += 1;
        r.cypherMs += ms;
      });
    },
    stop() {
      observeQueries(null);
    },
    wrapNodes(nodes) {
      const out: Record<string, NodeFn> = {};
      for (const [name, fn] of Object.entries(nodes)) {
        out[name] = (state, config) =>
          scope.run(name, async () => {
            const r = row(name);
            const cpu0 = process.cpuUsage();
            const t0 = performance.now();
            try {
              return await fn(state, config);
            } finally {
              const cpu = process.cpuUsage(cpu0);
              r.runs += 1;
              r.wallMs += performance.now() - t0;
              r.cpuMs += (cpu.user + cpu.system) / 1000;
            }
          });
      }
      return out as typeof nodes;
    },
    wrapDeps(deps) {
      const kg = wrapMethods(deps.kg, "kg");
      return {
        ...deps,
        kg,
        uq: wrapMethods(deps.uq, "kg"),
        embedder: wrapMethods(deps.embedder, "embed"),
      };
    },
    report() {
      return [...rows.values()];
    },
  };
}
