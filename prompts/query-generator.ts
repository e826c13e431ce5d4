/**
 * Prompt of the `queryGenerator` role: write demand queries across horizons (long, recent,
 * potential, trend, cross-category) from the portrait, the CFV and trend points, using only the
 * allowed vocabulary, each citing its evidence. Evidence is listed once under short aliases
 * (`c1` CFV entry, `t1` behaviour tuple, `d1` trend point's documents, `p1` category pairing;
 * `generatorEvidence` gives the alias → id table the reasoner maps answers back with). On critic
 * feedback only the failed queries are rewritten, from the evidence of their categories alone.
 */
import type { BaseMessage } from "@langchain/core/messages";
import { chatPrompt, clip, DATA_NOT_INSTRUCTIONS, tagged, vocabularyText, type VocabularyView } from "./common.js";
import type { GeneratorInputs, Query } from "../contracts/queries.js";
import { vocabularyView } from "./common.js";
import { PROMPT_BUDGET, topCfv, topPairs, usedVocabulary } from "./views.js";

/** One piece of evidence as the generator sees it: its alias, the ids it stands for, its text, its category. */
export interface GeneratorEvidence {
  alias: string;
  /** A heading consecutive pieces share (a CFV entry's category and horizon), written once before them. */
  group?: string;
  /** Evidence ids the alias stands for (a trend point stands for its documents). */
  ids: string[];
  text: string;
  /** Category ids it concerns (CFV entry and tuple: their category; pairing: both ends; trend point: its categories). */
  categoryIds: string[];
  /** Value names it carries. */
  values: string[];
}

export interface QueryGeneratorPromptInput {
  /** One line: buyer type and core intent (first round only). */
  portraitSummary: string;
  /** The evidence the queries may cite, by alias. */
  evidence: readonly Pick<GeneratorEvidence, "alias" | "text" | "group">[];
  /** Allowed categories with their factors and value names. */
  vocabulary: VocabularyView;
  /** Queries that failed the critic, with its feedback; when non-empty only these are rewritten. */
  failed: readonly { text: string; category?: string; feedback: string }[];
  /** Number of queries to write. */
  count: number;
}

const SYSTEM = `为 1688 小 B 采购商写采购需求查询，如“法式碎花连衣裙 批发”：text 为类目名加 1–3 个取值；category、values 只用 <vocabulary> 的名称且属于该类目允许的因子；
horizon 为 long/recent/potential/trend/cross，要含发现型（潜在、趋势、跨类目）；evidence 引用 <evidence> 编号（c1、t2…），其内容须含查询取值；不得含网址或指令。
{{safety}}`;

const REWRITE_SYSTEM = `按审核意见改写 1688 采购需求查询：category、values 只用 <vocabulary> 的名称且属于该类目允许的因子；evidence 引用 <evidence> 编号，其内容须含查询取值；不得含网址或指令。
{{safety}}`;

const USER = `{{task}}
{{portrait}}
{{evidence}}
{{vocabulary}}{{feedback}}`;

function taskText(input: QueryGeneratorPromptInput): string {
  if (input.failed.length > 0) return `任务：以下 ${input.failed.length} 条查询未通过审核，按意见改写，输出 ${input.count} 条替换查询。`;
  return `任务：写出 ${input.count} 条需求查询。`;
}

function feedbackText(input: QueryGeneratorPromptInput): string {
  if (input.failed.length === 0) return "";
  const failed = input.failed
    .map((f) => `${tagged("query", f.text, f.category ? { category: f.category } : {})}${tagged("feedback", f.feedback)}`)
    .join("\n");
  return `\n<failed>\n${failed}\n</failed>`;
}

export function queryGeneratorPrompt(input: QueryGeneratorPromptInput): BaseMessage[] {
  const evidence = evidenceLines(input.evidence).join("\n");
  return chatPrompt(input.failed.length > 0 ? REWRITE_SYSTEM : SYSTEM, USER, {
    safety: DATA_NOT_INSTRUCTIONS,
    task: taskText(input),
    portrait: input.portraitSummary ? tagged("portrait", input.portraitSummary) : "",
    evidence: `<evidence>\n${evidence}\n</evidence>`,
    vocabulary: vocabularyText(input.vocabulary),
    feedback: feedbackText(input),
  });
}

/** One line per piece, except that consecutive pieces of one group share a line: `大衣 长期：c1 平价:9，c2 冬季:8.4`. */
function evidenceLines(evidence: readonly Pick<GeneratorEvidence, "alias" | "text" | "group">[]): string[] {
  const lines: string[] = [];
  let open: string | undefined;
  for (const e of evidence) {
    const piece = `${e.alias} ${escapeText(e.text)}`;
    if (e.group !== undefined && e.group === open) lines[lines.length - 1] += `，${piece}`;
    else lines.push(e.group !== undefined ? `${escapeText(e.group)}：${piece}` : piece);
    open = e.group;
  }
  return lines;
}

function escapeText(s: string): string {
  return tagged("x", s).slice(3, -4);
}

/** How many recent tuples and trend points the query generator sees. */
/** How much of each kind of evidence the generator sees (`peers`: the strongest peer categories; the analytic generator drafts for every one). */
export const QUERY_GENERATOR_BUDGET = { tuples: 4, trendPoints: 6, tupleFactors: 3, cfv: { long: 3, recent: 2, potential: 2 }, peers: 4, rewriteEvidence: 10 } as const;

/**
 * The evidence the generator sees, under short aliases, in a fixed order: the strongest CFV
 * entries (`c`), the last tuples of the main categories (`t`), the trend points with KG values
 * (`d`, standing for their first two documents), the strongest pairings into categories the
 * buyer does not mainly buy and the CFV's strongest peer categories not already paired (`p`).
 */
export function generatorEvidence(inputs: Omit<GeneratorInputs, "portrait"> & { portrait: Pick<GeneratorInputs["portrait"], "mainCategories"> }): GeneratorEvidence[] {
  const cats = inputs.portrait.mainCategories.map((c) => c.categoryId);
  const name = new Map(inputs.vocab.categories.map((c) => [c.id, c.name]));
  const out: GeneratorEvidence[] = [];
  let n = 0;
  for (const c of topCfv(inputs.cfv, QUERY_GENERATOR_BUDGET.cfv).categories) {
    const part = (label: string, list: typeof c.long) =>
      list.forEach((e) => out.push({ alias: `c${++n}`, group: `${c.name} ${label}`, ids: [e.id], text: `${e.name}:${e.weight}`, categoryIds: [c.categoryId], values: [e.name] }));
    part("长期", c.long);
    part("近期", c.recent);
    part("潜在", c.potential);
  }
  n = 0;
  for (const t of inputs.tuples.filter((x) => cats.includes(x.categoryId)).slice(-QUERY_GENERATOR_BUDGET.tuples)) {
    const factors = t.factors.slice(0, QUERY_GENERATOR_BUDGET.tupleFactors);
    out.push({ alias: `t${++n}`, ids: [t.id], text: `${t.week} ${t.noun} ${factors.map((f) => f.name).join("、")}`, categoryIds: [t.categoryId], values: factors.map((f) => f.name) });
  }
  n = 0;
  for (const s of inputs.trends.sellingPoints.filter((x) => x.valueName).slice(0, QUERY_GENERATOR_BUDGET.trendPoints)) {
    out.push({ alias: `d${++n}`, ids: s.docIds.slice(0, 2), text: `趋势 ${s.valueName}（${s.categoryIds.map((c) => name.get(c) ?? c).join("、")}）`, categoryIds: s.categoryIds, values: [s.valueName!] });
  }
  n = 0;
  const pairs = topPairs(inputs.pairs.filter((x) => cats.includes(x.from))).filter((p) => !cats.includes(p.to));
  for (const p of pairs) {
    out.push({ alias: `p${++n}`, ids: [`pair:${p.from}:${p.to}`], text: `搭配 ${name.get(p.from) ?? p.from}→${name.get(p.to) ?? p.to}`, categoryIds: [p.from, p.to], values: [] });
  }
  const paired = new Set(pairs.map((p) => p.to));
  for (const p of shownPeers(inputs.cfv.peers).filter((x) => !paired.has(x.categoryId))) {
    out.push({ alias: `p${++n}`, ids: [p.id], text: `同类买家也买 ${p.name}`, categoryIds: [...p.via, p.categoryId], values: [] });
  }
  return out;
}

/** The peer categories the generator sees: the strongest `QUERY_GENERATOR_BUDGET.peers` (the CFV lists them strongest first). */
function shownPeers<P>(peers: readonly P[] | undefined): P[] {
  return (peers ?? []).slice(0, QUERY_GENERATOR_BUDGET.peers);
}

/** Maps a model's evidence references (aliases or raw ids) to evidence ids; unknown references stay as given, for the critic to catch. */
export function resolveEvidenceRefs(refs: readonly string[], evidence: readonly GeneratorEvidence[]): string[] {
  const byAlias = new Map(evidence.map((e) => [e.alias.toLowerCase(), e.ids]));
  return [...new Set(refs.flatMap((r) => byAlias.get(r.trim().toLowerCase()) ?? [r]))];
}

/**
 * The query generator's messages. First round: portrait line, all evidence, the vocabulary of the
 * main and paired categories cut to the values the evidence carries. Critic rounds: the failed
 * queries with feedback and only the evidence of their categories (and the pairings when a failed
 * query was a discovery query), at most `QUERY_GENERATOR_BUDGET.rewriteEvidence` pieces, with the
 * vocabulary of the categories shown.
 */
export function queryGeneratorMessages(i: { inputs: GeneratorInputs; count: number; failed: { query: Query; feedback: string }[]; accepted: Query[] }): BaseMessage[] {
  const all = generatorEvidence(i.inputs);
  const mains = i.inputs.portrait.mainCategories.map((c) => c.categoryId);
  const paired = [...topPairs(i.inputs.pairs.filter((p) => mains.includes(p.from))).map((p) => p.to), ...shownPeers(i.inputs.cfv.peers).map((p) => p.categoryId)];
  let evidence = all;
  let cats = [...new Set([...mains, ...paired])];
  if (i.failed.length > 0) {
    const failedCats = new Set(i.failed.map((f) => f.query.categoryId));
    const discovery = i.failed.some((f) => f.query.horizon === "cross" || f.query.horizon === "trend" || !mains.includes(f.query.categoryId));
    const ofFailed = all.filter((e) => e.categoryIds.some((c) => failedCats.has(c)) || (discovery && e.alias.startsWith("p")));
    evidence = ofFailed.slice(0, QUERY_GENERATOR_BUDGET.rewriteEvidence);
    const shownCats = new Set(evidence.flatMap((e) => e.categoryIds));
    cats = cats.filter((c) => failedCats.has(c) || shownCats.has(c));
  }
  const used = new Set(evidence.flatMap((e) => e.values));
  return queryGeneratorPrompt({
    portraitSummary: i.failed.length > 0 ? "" : `${i.inputs.portrait.bType}；${clip(i.inputs.portrait.coreIntent, PROMPT_BUDGET.intentChars)}`,
    evidence,
    vocabulary: usedVocabulary(vocabularyView(i.inputs.vocab, cats), used),
    failed: i.failed.map((f) => ({ text: f.query.text, category: f.query.categoryName, feedback: f.feedback })),
    count: i.count,
  });
}
