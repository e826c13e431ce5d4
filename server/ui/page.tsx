/**
 * The buyer page, server-rendered with hono/jsx (no build step, no client script): portrait, CFV
 * bars, trend evidence with sources, queries with U-Q scores and critic verdicts (each query a
 * `<details>` holding its items), and the explanation chain drawn as SVG.
 */
import type { FC, PropsWithChildren } from "hono/jsx";
import { raw } from "hono/html";
import type { StoredResult } from "../store.js";
import type { RecommendationResult } from "../../contracts/result.js";
import { cfvBars, chainGraph, itemsByQuery, portraitFields, trendRows, type ChainGraph } from "./view-model.js";

const CSS = `
:root{--fg:#1d2430;--muted:#6b7280;--line:#e5e7eb;--accent:#0f766e;--bad:#b91c1c;--bg:#fafaf9}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line);background:#fff}header h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:16px 24px}section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:14px 0}
h2{font-size:16px;margin:0 0 8px}.muted{color:var(--muted);font-size:13px}dl{display:grid;grid-template-columns:200px 1fr;gap:4px 12px;margin:0}dt{color:var(--muted)}dd{margin:0}
.bars{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}.bar-group h3{font-size:14px;margin:4px 0}
.bar{display:grid;grid-template-columns:110px 1fr 36px;gap:6px;align-items:center;font-size:13px}.bar .track{background:#f1f5f9;border-radius:3px;height:10px}.bar .fill{background:var(--accent);height:10px;border-radius:3px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:4px 10px}summary{cursor:pointer;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.badge{font-size:12px;border-radius:10px;padding:0 8px;border:1px solid currentColor}.pass{color:var(--accent)}.fail{color:var(--bad)}.tag{font-size:12px;color:var(--muted)}
.uq{display:inline-block;width:80px;height:8px;background:#f1f5f9;border-radius:3px;vertical-align:middle}.uq>i{display:block;height:8px;background:#2563eb;border-radius:3px}
svg text{font-size:11px;font-family:inherit}
`;

const Layout: FC<PropsWithChildren<{ title: string }>> = ({ title, children }) => (
  <html lang="zh-CN">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <style>{raw(CSS)}</style>
    </head>
    <body>{children}</body>
  </html>
);

const fmtNum = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2).replace(/\.?0+$/, ""));

const KIND_COLOURS: Record<string, string> = {
  behavior: "#64748b",
  behaviour: "#64748b",
  tuple: "#64748b",
  cfv: "#7c3aed",
  preference: "#7c3aed",
  trend: "#d97706",
  pair: "#0891b2",
  query: "#2563eb",
  item: "#0f766e",
};

export const ChainSvg: FC<{ graph: ChainGraph }> = ({ graph }) => {
  const colW = 210;
  const rowH = 34;
  const boxW = 180;
  const boxH = 24;
  const rows = Math.max(1, ...graph.nodes.map((n) => n.row + 1));
  const width = Math.max(1, graph.columns.length) * colW + 20;
  const height = rows * rowH + 40;
  const pos = new Map(graph.nodes.map((n) => [n.key, { x: 10 + n.column * colW, y: 30 + n.row * rowH }]));
  const clip = (s: string) => (s.length > 16 ? `${s.slice(0, 15)}…` : s);
  return (
    <svg id="chain-svg" role="img" aria-label="explanation chain" width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      {graph.columns.map((c, i) => (
        <text x={10 + i * colW} y={16} fill="#6b7280">
          {c}
        </text>
      ))}
      {graph.edges.map((e) => {
        const a = pos.get(e.from);
        const b = pos.get(e.to);
        if (!a || !b) return null;
        const x1 = a.x + boxW;
        const y1 = a.y + boxH / 2;
        const x2 = b.x;
        const y2 = b.y + boxH / 2;
        const mx = (x1 + x2) / 2;
        return <path class="edge" d={`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`} fill="none" stroke="#94a3b8" stroke-width="1.2" />;
      })}
      {graph.nodes.map((n) => {
        const p = pos.get(n.key) as { x: number; y: number };
        const colour = KIND_COLOURS[n.kind] ?? "#475569";
        return (
          <g class="node" data-kind={n.kind}>
            <title>{`${n.kind}: ${n.label}`}</title>
            <rect x={p.x} y={p.y} width={boxW} height={boxH} rx="5" fill="#fff" stroke={colour} />
            <text x={p.x + 6} y={p.y + 16} fill={colour}>
              {`${n.kind} · ${clip(n.label)}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
};

const ItemsTable: FC<{ items: RecommendationResult["items"] }> = ({ items }) => (
  <table class="items">
    <thead>
      <tr>
        <th>#</th>
        <th>title</th>
        <th>price</th>
        <th>MOQ</th>
        <th>flags</th>
      </tr>
    </thead>
    <tbody>
      {items.map((i) => (
        <tr class="item" data-item-id={i.itemId}>
          <td>{i.rank}</td>
          <td>{i.title}</td>
          <td>¥{i.price.toFixed(2)}</td>
          <td>{i.moq}</td>
          <td class="tag">
            {[i.flags.newItem ? "new item" : "", i.flags.trend ? "trend" : "", i.flags.newSeller ? "new seller" : ""].filter(Boolean).join(", ")}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

export const BuyerPage: FC<{ stored: StoredResult; ageSeconds: number }> = ({ stored, ageSeconds }) => {
  const r = stored.result;
  const groups = cfvBars(r.cfv);
  const trends = trendRows(r.trends);
  const byQuery = itemsByQuery(r);
  const again = r.items.filter((i) => i.queryIds.length === 0);
  const chain = chainGraph(r);
  const degraded = r.steps.filter((s) => s.degraded).map((s) => s.role);
  const reasoners = [...new Set(r.steps.map((s) => s.reasoner))].join(", ") || "n/a";
  return (
    <Layout title={`Chrysalis · ${r.userId}`}>
      <header>
        <h1>
          Buyer <span id="buyer-id">{r.userId}</span>
        </h1>
        <div class="muted">
          as of {r.asOf} · generated {r.generatedAt} ({Math.round(ageSeconds)} s ago, {stored.source}) · run {r.runId} · reasoners: {reasoners}
          {degraded.length > 0 ? ` · degraded: ${degraded.join(", ")}` : ""}
        </div>
      </header>
      <main>
        <section id="portrait">
          <h2>Portrait</h2>
          <dl>
            {portraitFields(r.portrait).map((f) => (
              <>
                <dt>{f.label}</dt>
                <dd>{f.text}</dd>
              </>
            ))}
          </dl>
          <p class="muted">
            behaviour compressed into {r.compression.tuples} weekly tuples: {r.compression.rawTokens} → {r.compression.compressedTokens} tokens, factor
            mass kept {Math.round(r.compression.factorMassKept * 100)}%
          </p>
        </section>

        <section id="cfv">
          <h2>Category factor values</h2>
          {groups.length === 0 ? (
            <p class="muted">no factor values</p>
          ) : (
            <div class="bars">
              {groups.map((g) => (
                <div class="bar-group">
                  <h3>{g.title}</h3>
                  {g.bars.map((b) => (
                    <div class="bar" title={b.hint ? `${b.hint}: ${b.label}` : b.label}>
                      <span>{b.label}</span>
                      <span class="track">
                        <span class="fill" style={`display:block;width:${Math.max(2, (b.value / g.max) * 100).toFixed(1)}%`} />
                      </span>
                      <span>{fmtNum(b.value)}</span>
                    </div>
                  ))}
                </div>
              ))}
            </div>
          )}
        </section>

        <section id="trends">
          <h2>Trend evidence</h2>
          {trends.length === 0 ? (
            <p class="muted">no trend evidence</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>trend</th>
                  <th>weight</th>
                  <th>sources</th>
                  <th>documents</th>
                  <th>detail</th>
                </tr>
              </thead>
              <tbody>
                {trends.map((t) => (
                  <tr class="trend">
                    <td>{t.url ? <a href={t.url} rel="noopener noreferrer">{t.title}</a> : t.title}</td>
                    <td>{t.weight === null ? "" : fmtNum(t.weight)}</td>
                    <td>{t.sources.join(", ")}</td>
                    <td class="tag">{t.refs.join(", ")}</td>
                    <td class="tag">{t.detail ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section id="queries">
          <h2>Demand queries and their items</h2>
          <p class="muted">
            hallucination rate before the critic {fmtNum(r.hallucination.before)}, after {fmtNum(r.hallucination.after)}, critic loops {r.hallucination.loops}
          </p>
          {byQuery.map(({ query: q, items }) => (
            <details class="query" data-query-id={q.id}>
              <summary>
                <strong>{q.text}</strong>
                <span class="tag">
                  {q.categoryName} · {q.horizon}
                </span>
                <span title={`U-Q ${q.uq.score}`}>
                  U-Q <span class="uq">
                    <i style={`width:${Math.round(Math.max(0, Math.min(1, q.uq.score)) * 100)}%`} />
                  </span>{" "}
                  {fmtNum(q.uq.score)}
                </span>
                <span class={`badge ${q.critic.verdict}`}>critic: {q.critic.verdict}</span>
                <span class="tag">{items.length} items</span>
              </summary>
              <p class="tag">
                values: {q.values.join(", ") || "—"}
                {q.critic.issues.length > 0 ? ` · issues: ${q.critic.issues.join("; ")}` : ""}
                {q.evidence.length > 0 ? ` · evidence: ${q.evidence.map((e) => `${e.kind}:${e.id}`).join(", ")}` : ""}
              </p>
              {q.uq.paths.length > 0 ? (
                <ul class="tag">
                  {q.uq.paths.slice(0, 5).map((p) => (
                    <li>
                      {p.type} ({fmtNum(p.weight)}): {p.description}
                    </li>
                  ))}
                </ul>
              ) : null}
              <ItemsTable items={items} />
            </details>
          ))}
          {again.length > 0 ? (
            <details class="query" id="engaged-before">
              <summary>
                <strong>engaged before, in categories no query covers</strong>
                <span class="tag">{again.length} items</span>
              </summary>
              <ItemsTable items={again} />
            </details>
          ) : null}
        </section>

        <section id="chain">
          <h2>Why these items: the explanation chain (top {Math.min(8, r.items.length)} items)</h2>
          <div style="overflow-x:auto">
            <ChainSvg graph={chain} />
          </div>
        </section>
      </main>
    </Layout>
  );
};

export const MissingPage: FC<{ userId: string }> = ({ userId }) => (
  <Layout title={`Chrysalis · ${userId}`}>
    <header>
      <h1>Buyer {userId}</h1>
    </header>
    <main>
      <section id="missing">
        <h2>No recommendations yet</h2>
        <p>
          Nothing is stored for this buyer. Run the graph with <code>POST /v1/users/{userId}/invoke</code>, or send behaviour events to{" "}
          <code>POST /v1/events</code> and let a near-line run store one.
        </p>
      </section>
    </main>
  </Layout>
);
