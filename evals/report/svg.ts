/**
 * Hand-written SVG charts for reports: a labelled scatter (discovery recall against Recall@50,
 * one point per system) and small-multiple bar panels (one panel per metric, one bar per system).
 * Pure functions returning SVG text; no dependencies.
 */

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A "nice" upper bound for an axis (1, 2, 2.5, 5 × 10^k) at or above `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(max)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= max) return m * exp;
  return 10 * exp;
}

function fmtTick(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(1) : x.toFixed(2);
}

export interface ScatterPoint {
  label: string;
  x: number;
  y: number;
}

export function scatterSvg(points: readonly ScatterPoint[], opts: { title: string; xLabel: string; yLabel: string; width?: number; height?: number }): string {
  const W = opts.width ?? 640;
  const H = opts.height ?? 440;
  const m = { l: 70, r: 30, t: 40, b: 60 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const xMax = niceMax(Math.max(0, ...points.map((p) => p.x).filter(Number.isFinite)) * 1.1);
  const yMax = niceMax(Math.max(0, ...points.map((p) => p.y).filter(Number.isFinite)) * 1.1);
  const sx = (x: number) => m.l + (x / xMax) * pw;
  const sy = (y: number) => m.t + ph - (y / yMax) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(opts.title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const xv = (xMax * i) / 5;
    const yv = (yMax * i) / 5;
    out.push(`<line x1="${sx(xv)}" y1="${m.t}" x2="${sx(xv)}" y2="${m.t + ph}" stroke="#eee"/>`);
    out.push(`<line x1="${m.l}" y1="${sy(yv)}" x2="${m.l + pw}" y2="${sy(yv)}" stroke="#eee"/>`);
    out.push(`<text x="${sx(xv)}" y="${m.t + ph + 16}" text-anchor="middle">${fmtTick(xv)}</text>`);
    out.push(`<text x="${m.l - 6}" y="${sy(yv) + 4}" text-anchor="end">${fmtTick(yv)}</text>`);
  }
  out.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${m.l + pw / 2}" y="${H - 18}" text-anchor="middle">${escapeXml(opts.xLabel)}</text>`);
  out.push(`<text x="18" y="${m.t + ph / 2}" text-anchor="middle" transform="rotate(-90 18 ${m.t + ph / 2})">${escapeXml(opts.yLabel)}</text>`);
  points.forEach((p, i) => {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) return;
    const c = PALETTE[i % PALETTE.length];
    out.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="6" fill="${c}" fill-opacity="0.85"><title>${escapeXml(`${p.label}: (${p.x.toFixed(3)}, ${p.y.toFixed(3)})`)}</title></circle>`);
    out.push(`<text x="${(sx(p.x) + 9).toFixed(1)}" y="${(sy(p.y) - 7 - (i % 2) * 10).toFixed(1)}" fill="${c}">${escapeXml(p.label)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}

export interface BarPanel {
  metric: string;
  bars: { label: string; value: number }[];
}

/** Small multiples: one panel per metric, one bar per system, in a grid of `columns`. */
export function barPanelsSvg(panels: readonly BarPanel[], opts: { title: string; columns?: number; panelWidth?: number; panelHeight?: number }): string {
  const cols = opts.columns ?? 3;
  const PW = opts.panelWidth ?? 300;
  const PH = opts.panelHeight ?? 220;
  const rows = Math.max(1, Math.ceil(panels.length / cols));
  const legendH = 24;
  const W = cols * PW;
  const H = 40 + legendH + rows * PH;
  const labels = [...new Set(panels.flatMap((p) => p.bars.map((b) => b.label)))];
  const color = (l: string) => PALETTE[labels.indexOf(l) % PALETTE.length];
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(opts.title)}</text>`);
  let lx = 10;
  for (const l of labels) {
    out.push(`<rect x="${lx}" y="34" width="12" height="12" fill="${color(l)}"/><text x="${lx + 16}" y="44">${escapeXml(l)}</text>`);
    lx += 24 + l.length * 7;
  }
  panels.forEach((panel, idx) => {
    const ox = (idx % cols) * PW;
    const oy = 40 + legendH + Math.floor(idx / cols) * PH;
    const m = { l: 44, r: 10, t: 24, b: 20 };
    const pw = PW - m.l - m.r;
    const ph = PH - m.t - m.b;
    const vals = panel.bars.map((b) => b.value).filter(Number.isFinite);
    const max = niceMax(Math.max(0, ...vals));
    out.push(`<text x="${ox + PW / 2}" y="${oy + 16}" text-anchor="middle" font-weight="bold">${escapeXml(panel.metric)}</text>`);
    for (let i = 0; i <= 4; i++) {
      const v = (max * i) / 4;
      const y = oy + m.t + ph - (v / max) * ph;
      out.push(`<line x1="${ox + m.l}" y1="${y}" x2="${ox + m.l + pw}" y2="${y}" stroke="#eee"/><text x="${ox + m.l - 4}" y="${y + 4}" text-anchor="end">${fmtTick(v)}</text>`);
    }
    const bw = pw / Math.max(1, panel.bars.length);
    panel.bars.forEach((b, i) => {
      const v = Number.isFinite(b.value) ? b.value : 0;
      const h = (v / max) * ph;
      const x = ox + m.l + i * bw + bw * 0.1;
      const y = oy + m.t + ph - h;
      out.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(bw * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="${color(b.label)}"><title>${escapeXml(`${b.label}: ${b.value}`)}</title></rect>`);
      out.push(`<text x="${(x + bw * 0.4).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="9">${Number.isFinite(b.value) ? fmtTick(b.value) : "n/a"}</text>`);
    });
    out.push(`<line x1="${ox + m.l}" y1="${oy + m.t + ph}" x2="${ox + m.l + pw}" y2="${oy + m.t + ph}" stroke="#333"/>`);
  });
  out.push("</svg>");
  return out.join("\n");
}
