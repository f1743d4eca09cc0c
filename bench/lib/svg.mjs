// A hand-written SVG bar chart: simplehttp's ratio to the best peer, per scenario and runtime, with a line at 1.0.
const RUNTIMES = [
  ["simplehttp-node", "Node", "#3c873a"],
  ["simplehttp-bun", "Bun", "#c9a227"],
  ["simplehttp-deno", "Deno", "#3a5fa8"],
];
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function ratiosSvg({ agg, meta }) {
  const scenarios = agg.filter((s) => s.higher);
  const W = 860,
    H = 420,
    left = 56,
    right = 16,
    top = 64,
    bottom = 100;
  const plotW = W - left - right,
    plotH = H - top - bottom;
  const ratios = scenarios.flatMap((s) => RUNTIMES.map(([n]) => s.servers.find((x) => x.server === n)?.ratio ?? 0));
  const maxY = Math.max(1.25, Math.ceil(Math.max(...ratios) * 4) / 4);
  const y = (v) => top + plotH - (v / maxY) * plotH;
  const group = plotW / scenarios.length;
  const barW = Math.min(28, (group - 16) / RUNTIMES.length);
  const o = [];
  o.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      'font-family="Helvetica, Arial, sans-serif" font-size="12">',
  );
  o.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  o.push(
    `<text x="${left}" y="22" font-size="15" font-weight="bold">` +
      "simplehttp ÷ best peer in the same round (median; higher is better)</text>",
  );
  o.push(
    `<text x="${left}" y="40" fill="#555">` +
      esc(
        `${meta.date.slice(0, 10)} · ${meta.machine.CPU} · ${meta.machine.nproc} cores · ` +
          `kernel ${meta.machine.kernel} · ${meta.loadgen} · ${meta.rounds} round(s)`,
      ) +
      "</text>",
  );
  // grid
  const step = maxY > 3 ? 1 : maxY > 1.5 ? 0.5 : 0.25;
  for (let v = 0; v <= maxY + 1e-9; v += step) {
    o.push(`<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" stroke="#e4e4e4"/>`);
    o.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${v.toFixed(2)}×</text>`);
  }
  scenarios.forEach((s, i) => {
    const gx = left + i * group + (group - barW * RUNTIMES.length) / 2;
    RUNTIMES.forEach(([name, , color], j) => {
      const r = s.servers.find((x) => x.server === name);
      const x = gx + j * barW;
      if (!r || r.ratio == null) {
        const why = !r || r.status === "not run" ? "–" : r.status === "n/a" ? "n/a" : "fail";
        o.push(
          `<text x="${x + barW / 2}" y="${y(0) - 4}" text-anchor="middle" font-size="10" fill="#b00">${why}</text>`,
        );
        return;
      }
      const h = y(0) - y(r.ratio);
      o.push(
        `<rect x="${x + 1}" y="${y(r.ratio)}" width="${barW - 2}" height="${h}" fill="${color}">` +
          `<title>${esc(`${r.label}: ${r.ratio.toFixed(2)}× ${s.title}`)}</title></rect>`,
      );
      o.push(
        `<text x="${x + barW / 2}" y="${y(r.ratio) - 4}" text-anchor="middle" font-size="10">` +
          `${r.ratio.toFixed(2)}</text>`,
      );
    });
    const words = s.title.split(" ");
    const lines = [];
    for (const w of words) {
      if (lines.length && `${lines[lines.length - 1]} ${w}`.length <= 16) lines[lines.length - 1] += ` ${w}`;
      else lines.push(w);
    }
    if (s.bestPeerName) lines.push(`vs ${s.bestPeerName}`);
    for (const [k, ln] of lines.entries()) {
      const fill = ln.startsWith("vs ") ? "#888" : "#333";
      const at = `x="${left + i * group + group / 2}" y="${y(0) + 16 + k * 13}"`;
      o.push(`<text ${at} text-anchor="middle" fill="${fill}">${esc(ln)}</text>`);
    }
  });
  o.push(
    `<line x1="${left}" x2="${W - right}" y1="${y(1)}" y2="${y(1)}" ` +
      'stroke="#d00" stroke-width="1.5" stroke-dasharray="6 3"/>',
  );
  o.push(`<text x="${W - right}" y="${y(1) - 4}" text-anchor="end" fill="#d00">1.0 = best peer</text>`);
  o.push(`<line x1="${left}" x2="${W - right}" y1="${y(0)}" y2="${y(0)}" stroke="#333"/>`);
  RUNTIMES.forEach(([, label, color], j) => {
    const lx = left + j * 130,
      ly = H - 14;
    o.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${color}"/>` +
        `<text x="${lx + 16}" y="${ly}">simplehttp ${label}</text>`,
    );
  });
  o.push(`</svg>`);
  return `${o.join("\n")}\n`;
}
