/**
 * A readiness probe over a warm-up the server starts and does not wait for (the KG caches:
 * catalog statistics, names, category embeddings): its detail says `warming up` while the
 * warm-up runs, `warm (N ms)` when it finished, and why it failed otherwise. It never fails the
 * check: runs are correct meanwhile, they read what they need themselves and take longer.
 * Reads and writes nothing but its own state.
 */
import type { ReadinessProbe } from "./ports.js";

export interface WarmUpProbe extends ReadinessProbe {
  /** Settles when the warm-up has finished or failed (never rejects). */
  readonly settled: Promise<void>;
}

export function warmUpProbe(name: string, what: string, warmUp: Promise<unknown>, now: () => number = () => performance.now()): WarmUpProbe {
  const started = now();
  let state: { kind: "warming" } | { kind: "warm"; ms: number } | { kind: "failed"; error: string } = { kind: "warming" };
  const settled = warmUp.then(
    () => {
      state = { kind: "warm", ms: Math.round(now() - started) };
    },
    (e: unknown) => {
      state = { kind: "failed", error: e instanceof Error ? e.message : String(e) };
    },
  );
  return {
    name,
    settled,
    async check() {
      switch (state.kind) {
        case "warming":
          return `warming up: ${what} are being read; runs meanwhile read what they need themselves and take longer`;
        case "warm":
          return `warm: ${what} read in ${state.ms} ms`;
        case "failed":
          return `warming up failed (${state.error}); runs read ${what} on first use`;
      }
    },
  };
}
