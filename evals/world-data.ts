/**
 * The public part of a generated world, loaded for evaluation: catalog, items, buyers, events
 * (split at `asOf` into history and held-out) and trend documents. Latent truth is not loaded
 * here (see `golden/build.ts`), so baselines built on this module cannot read it.
 */
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import {
  BuyerRecord,
  CategoryRecord,
  EventRecord,
  ItemRecord,
  TrendDocRecord,
  ValueRecord,
  WORLD_FILES,
  WorldManifest,
} from "../contracts/records.js";

/** Reads a JSONL file and validates each line; throws with file and line on the first bad record. */
export function readJsonlFile<S extends z.ZodType>(file: string, schema: S): z.infer<S>[] {
  const text = fs.readFileSync(file, "utf8");
  const out: z.infer<S>[] = [];
  let line = 0;
  for (const raw of text.split("\n")) {
    line++;
    if (raw.trim() === "") continue;
    const parsed = schema.safeParse(JSON.parse(raw));
    if (!parsed.success) throw new Error(`${file}:${line}: ${parsed.error.message}`);
    out.push(parsed.data);
  }
  return out;
}

export interface WorldData {
  dir: string;
  manifest: WorldManifest;
  categories: CategoryRecord[];
  categoryById: Map<string, CategoryRecord>;
  values: ValueRecord[];
  valueById: Map<string, ValueRecord>;
  items: ItemRecord[];
  itemById: Map<string, ItemRecord>;
  buyers: BuyerRecord[];
  /** All events, oldest first. */
  events: EventRecord[];
  trends: TrendDocRecord[];
}

/** Loads a world directory (the files of `WORLD_FILES`). */
export function loadWorld(dir: string): WorldData {
  const f = (name: string) => path.join(dir, name);
  const manifest = WorldManifest.parse(JSON.parse(fs.readFileSync(f(WORLD_FILES.manifest), "utf8")));
  const categories = readJsonlFile(f(WORLD_FILES.categories), CategoryRecord);
  const values = readJsonlFile(f(WORLD_FILES.values), ValueRecord);
  const items = readJsonlFile(f(WORLD_FILES.items), ItemRecord);
  const buyers = readJsonlFile(f(WORLD_FILES.buyers), BuyerRecord);
  const events = readJsonlFile(f(WORLD_FILES.events), EventRecord).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const trends = readJsonlFile(f(WORLD_FILES.trends), TrendDocRecord);
  return {
    dir,
    manifest,
    categories,
    categoryById: new Map(categories.map((c) => [c.id, c])),
    values,
    valueById: new Map(values.map((v) => [v.id, v])),
    items,
    itemById: new Map(items.map((i) => [i.id, i])),
    buyers,
    events,
    trends,
  };
}

/** Events strictly before `asOf`. */
export function historyEvents(world: WorldData, asOf: string): EventRecord[] {
  const t = Date.parse(asOf);
  return world.events.filter((e) => Date.parse(e.at) < t);
}

/** Events in `[asOf, end)`. */
export function heldOutEvents(world: WorldData, asOf: string, end: string): EventRecord[] {
  const a = Date.parse(asOf);
  const b = Date.parse(end);
  return world.events.filter((e) => {
    const t = Date.parse(e.at);
    return t >= a && t < b;
  });
}
