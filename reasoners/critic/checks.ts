/**
 * The critic's deterministic grounding checks, shared by the critic role and the evaluation:
 * schema; category exists and is a leaf; every value exists in the KG and its factor is allowed
 * for the category; every cited evidence exists and each value is supported by cited evidence;
 * the query retrieves at least `min` items (full-text, category subtree, before `asOf`) and at
 * least that many offers there carry all its values together (a combination no offer carries
 * retrieves nothing real; a combination new to the buyer that offers do carry passes); no
 * instruction-like text or URLs. Also the evidence texts the LLM judge sees and the feedback sent to the generator.
 */
import type { Compression } from "../../contracts/behaviour.js";
import type { Cfv } from "../../contracts/cfv.js";
import type { GraphDeps } from "../../contracts/deps.js";
import type { CategoryPair, Vocabulary } from "../../contracts/kg.js";
import { QuerySchema, type Query } from "../../contracts/queries.js";
import type { Trends } from "../../contracts/trends.js";
import { looksInjected, matchesInjectionRules } from "../../lib/injection-guard.js";
import { compactTuple } from "../../lib/tuples.js";

/** The run outputs a query may cite as evidence. */
export interface EvidenceSources {
  compression: Compression | null;
  cfv: Cfv | null;
  trends: Trends | null;
  pairs: CategoryPair[];
}

/** The text behind each evidence id the queries cite, for the judge. */
export function evidenceTexts(state: EvidenceSources, ids: Set<string>): { id: string; text: string }[] {
  const out: { id: string; text: string }[] = [];
  for (const t of state.compression?.tuples ?? []) if (ids.has(t.id)) out.push({ id: t.id, text: compactTuple(t) });
  for (const c of state.cfv?.categories ?? [])
    for (const e of [...c.long, ...c.recent, ...c.potential]) if (ids.has(e.id)) out.push({ id: e.id, text: `${c.name} ${e.name}:${e.weight}` });
  for (const d of state.trends?.docs ?? []) if (ids.has(d.id)) out.push({ id: d.id, text: `${d.source} ${d.title} ${d.snippet}` });
  for (const p of state.pairs ?? []) {
    const id = `pair:${p.from}:${p.to}`;
    if (ids.has(id)) out.push({ id, text: `${p.from}→${p.to} lift ${p.lift}` });
  }
  for (const p of state.cfv?.peers ?? []) if (ids.has(p.id)) out.push({ id: p.id, text: `${p.via.join(",")}→${p.categoryId} ${p.name} co-engaged ${p.weight}` });
  return out;
}

/** What a query's evidence may point at, and which value ids each piece supports. */
export interface EvidenceIndex {
  /** evidence id → value ids it supports (empty set: exists, supports a category only). */
  supports: Map<string, Set<string>>;
}

export function buildEvidenceIndex(state: EvidenceSources): EvidenceIndex {
  const supports = new Map<string, Set<string>>();
  for (const t of state.compression?.tuples ?? []) supports.set(t.id, new Set(t.factors.map((f) => f.valueId)));
  for (const c of state.cfv?.categories ?? [])
    for (const e of [...c.long, ...c.recent, ...c.potential]) supports.set(e.id, new Set([e.valueId]));
  const docValues = new Map<string, Set<string>>();
  for (const d of state.trends?.docs ?? []) docValues.set(d.id, new Set(d.valueIds));
  for (const sp of state.trends?.sellingPoints ?? [])
    if (sp.valueId) for (const id of sp.docIds) docValues.get(id)?.add(sp.valueId);
  for (const [id, s] of docValues) supports.set(id, s);
  for (const p of state.pairs ?? []) supports.set(`pair:${p.from}:${p.to}`, new Set());
  for (const p of state.cfv?.peers ?? []) supports.set(p.id, new Set());
  return { supports };
}

const UNSAFE = /[<>{}]|\bignore\b|指令|提示词/i;

export function deterministicIssues(q: Query, vocab: Vocabulary, evidence: EvidenceIndex): string[] {
  const issues: string[] = [];
  const parsed = QuerySchema.safeParse(q);
  if (!parsed.success) issues.push(`schema: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const cat = vocab.categories.find((c) => c.id === q.categoryId);
  if (!cat) issues.push(`category "${q.categoryName}" does not exist in the KG`);
  else if (cat.allows.length === 0) issues.push(`category "${cat.name}" is not a leaf category`);
  for (const name of q.unknownValues) issues.push(`value "${name}" is not a KG value`);
  if (q.valueIds.length + q.unknownValues.length === 0) issues.push("the query names no factor value");
  const valueById = new Map(vocab.values.map((v) => [v.id, v]));
  for (const id of q.valueIds) {
    const v = valueById.get(id);
    if (!v) issues.push(`value id "${id}" is not a KG value`);
    else if (cat && !cat.allows.includes(v.factor)) issues.push(`value "${v.name}" (${v.factor}) is not allowed for ${cat.name}`);
  }
  if (q.evidence.length === 0) issues.push("no evidence cited");
  for (const e of q.evidence) if (!evidence.supports.has(e.id)) issues.push(`evidence "${e.id}" does not exist`);
  for (const id of q.valueIds) {
    const ok = q.evidence.some((e) => evidence.supports.get(e.id)?.has(id));
    if (!ok) issues.push(`value "${valueById.get(id)?.name ?? id}" is not supported by the cited evidence`);
  }
  if (matchesInjectionRules(q.text) || looksInjected(q.text) || UNSAFE.test(q.text)) issues.push("instruction-like text or a link in the query");
  return issues;
}

export async function retrievalIssue(deps: Pick<GraphDeps, "kg">, q: Query, asOf: string, min: number): Promise<string | null> {
  if (min <= 0) return null;
  const hits = await deps.kg.searchItemIdsFullText(q.text, { asOf, categoryId: q.categoryId, limit: min });
  if (hits.length < min) return `retrieves ${hits.length} items, fewer than ${min}`;
  const carrying = await deps.kg.countItemsWithValues(q.categoryId, q.valueIds, { asOf, limit: min });
  return carrying >= min ? null : `only ${carrying} offers in the category carry ${q.values.map((v) => `"${v}"`).join(" + ")} together, fewer than ${min}`;
}

export function feedbackFor(issues: string[]): string {
  return issues.length === 0 ? "" : `请修正：${issues.join("；")}。只使用词表中的类目和属性值，并引用真实存在且支持这些属性值的证据 id。`;
}
