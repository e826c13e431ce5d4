/**
 * The catalog facts the catalog judge reads, built from the world's public files only: leaf
 * categories with their allowed factors, value factors, and the value sets of each leaf's offers
 * launched before `asOf`.
 */
import type { WorldData } from "../world-data.js";
import type { CatalogFacts } from "./catalog-judge.js";

export function catalogFacts(world: WorldData, asOf: string): CatalogFacts {
  const end = Date.parse(asOf);
  const offerValues = new Map<string, Set<string>[]>();
  for (const i of world.items) {
    if (Date.parse(i.launchedAt) >= end) continue;
    const list = offerValues.get(i.categoryId) ?? [];
    list.push(new Set(i.valueIds ?? []));
    offerValues.set(i.categoryId, list);
  }
  return {
    leafAllows: new Map(world.categories.filter((c) => c.allows.length > 0).map((c) => [c.id, c.allows])),
    valueFactor: new Map(world.values.map((v) => [v.id, v.factor])),
    offerValues,
  };
}
