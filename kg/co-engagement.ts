/**
 * Category co-engagement among buyers: the peer signal. Precomputed once per load (like
 * `PAIRS_WITH`), read per run in one round trip whose cost depends only on the buyer's categories.
 *
 * - `coEngagementPairs(userCategoryWeights)`: each buyer's decayed engagement per leaf category,
 *   normalised to shares; the association of two categories is the cosine of their columns over
 *   buyers (Σ_u s_u(a)·s_u(b) / (‖a‖·‖b‖)): high when the same buyers spend their attention on
 *   both. Each category keeps its `maxNeighbours` strongest associations, with the number of
 *   buyers engaged in both.
 * - `computeCoEngagement(driver, {asOf})`: reads (buyer, category, decayed behaviour weight)
 *   before `asOf` in one aggregate query and replaces every
 *   `(:Category)-[:CO_ENGAGED {weight, buyers}]->(:Category)` (both directions).
 * - `ensureCoEngagement(driver, {asOf})`: computes them when the graph has none (a graph loaded
 *   before they existed).
 * - `coEngagementReads(driver).coEngagedCategories(ids)`: the `CO_ENGAGED` neighbours of these
 *   categories, strongest first (KgReader).
 * Reads BEHAVED events, IN; writes CO_ENGAGED.
 */
import { z } from "zod";
import { int, readQuery, writeTransaction, type Driver } from "./driver.js";
import { CoEngagedCategorySchema, type CoEngagedCategory } from "../contracts/kg.js";
import { DEFAULT_TYPE_WEIGHTS } from "../contracts/uq.js";

export const CoEngagementOptions = z.object({
  asOf: z.string(),
  /** Engagement window before `asOf`, in days. */
  windowDays: z.number().int().positive().default(364),
  /** Half-life of the behaviour decay, in days. */
  halfLifeDays: z.number().positive().default(60),
  /** Neighbours kept per category. */
  maxNeighbours: z.number().int().positive().default(12),
  /** Buyers engaged in both categories, at least. */
  minBuyers: z.number().int().positive().default(2),
});
export type CoEngagementOptions = z.input<typeof CoEngagementOptions>;

export interface CoEngagementPair {
  from: string;
  to: string;
  weight: number;
  buyers: number;
}

/** Category associations from per-buyer category weights (see module header). */
export function coEngagementPairs(
  userCategoryWeights: ReadonlyMap<string, ReadonlyMap<string, number>>,
  opts: { maxNeighbours: number; minBuyers: number },
): CoEngagementPair[] {
  const sq = new Map<string, number>();
  const dot = new Map<string, { w: number; n: number }>();
  for (const cats of userCategoryWeights.values()) {
    const total = [...cats.values()].reduce((s, x) => s + x, 0);
    if (total <= 0) continue;
    const shares = [...cats].filter(([, w]) => w > 0).map(([c, w]) => [c, w / total] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (const [c, s] of shares) sq.set(c, (sq.get(c) ?? 0) + s * s);
    for (let i = 0; i < shares.length; i++)
      for (let j = i + 1; j < shares.length; j++) {
        const key = `${shares[i][0]}|${shares[j][0]}`;
        const e = dot.get(key) ?? { w: 0, n: 0 };
        e.w += shares[i][1] * shares[j][1];
        e.n++;
        dot.set(key, e);
      }
  }
  const byFrom = new Map<string, CoEngagementPair[]>();
  for (const [key, { w, n }] of dot) {
    if (n < opts.minBuyers) continue;
    const [a, b] = key.split("|");
    const weight = Math.round((w / Math.sqrt(sq.get(a)! * sq.get(b)!)) * 10_000) / 10_000;
    if (weight <= 0) continue;
    for (const [from, to] of [[a, b], [b, a]]) {
      const list = byFrom.get(from) ?? [];
      list.push({ from, to, weight, buyers: n });
      byFrom.set(from, list);
    }
  }
  return [...byFrom.values()].flatMap((list) =>
    list.sort((x, y) => y.weight - x.weight || x.to.localeCompare(y.to)).slice(0, opts.maxNeighbours),
  );
}

/** Replaces every `CO_ENGAGED` relationship with the associations of behaviour before `asOf`; returns how many were written. */
export async function computeCoEngagement(driver: Driver, options: CoEngagementOptions): Promise<number> {
  const o = CoEngagementOptions.parse(options);
  const rows = await readQuery(
    driver,
    `MATCH (u:User)-[b:BEHAVED]->(:Item)-[:IN]->(c:Category)
     WHERE b.at < datetime($asOf) AND b.at >= datetime($asOf) - duration({days: $windowDays})
     RETURN u.id AS userId, c.id AS categoryId,
            sum(coalesce($typeWeights[b.type], 1.0) * 2.0 ^ (toFloat(b.at.epochSeconds - datetime($asOf).epochSeconds) / 86400.0 / $halfLifeDays)) AS w`,
    { asOf: o.asOf, windowDays: int(o.windowDays), halfLifeDays: o.halfLifeDays, typeWeights: DEFAULT_TYPE_WEIGHTS },
  );
  const users = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = users.get(r.userId as string) ?? new Map<string, number>();
    m.set(r.categoryId as string, Number(r.w));
    users.set(r.userId as string, m);
  }
  const pairs = coEngagementPairs(users, o);
  await writeTransaction(driver, async (tx) => {
    await tx.run("MATCH ()-[r:CO_ENGAGED]->() DELETE r");
    await tx.run(
      `UNWIND $pairs AS p
       MATCH (a:Category {id: p.from})
       MATCH (b:Category {id: p.to})
       CREATE (a)-[:CO_ENGAGED {weight: p.weight, buyers: p.buyers}]->(b)`,
      { pairs: pairs.map((p) => ({ ...p, buyers: int(p.buyers) })) },
    );
  });
  return pairs.length;
}

/** Computes `CO_ENGAGED` when the graph holds none; returns how many exist afterwards. */
export async function ensureCoEngagement(driver: Driver, options: CoEngagementOptions): Promise<number> {
  const [row] = await readQuery(driver, "MATCH ()-[r:CO_ENGAGED]->() RETURN count(r) AS n");
  const n = Number(row?.n ?? 0);
  return n > 0 ? n : computeCoEngagement(driver, options);
}

/** The `KgReader` read of co-engaged categories. */
export function coEngagementReads(driver: Driver): { coEngagedCategories(categoryIds: string[]): Promise<CoEngagedCategory[]> } {
  return {
    async coEngagedCategories(categoryIds) {
      if (categoryIds.length === 0) return [];
      const found = await readQuery(
        driver,
        `MATCH (a:Category)-[r:CO_ENGAGED]->(b:Category) WHERE a.id IN $categoryIds
         RETURN a.id AS from, b.id AS to, r.weight AS weight, r.buyers AS buyers ORDER BY weight DESC, from, to`,
        { categoryIds },
      );
      return found.map((r) => CoEngagedCategorySchema.parse(r));
    },
  };
}
