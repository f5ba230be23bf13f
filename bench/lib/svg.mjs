// One SVG chart per scenario, written by hand (no plotting dependency): a panel
// per metric, a horizontal bar per device at the median, a whisker from min to
// max over the repetitions, and the value with its ratio to the Linux bridge.
// Every panel starts at zero, so bar lengths compare honestly.

const PALETTE = { 'linux-bridge': '#7f7f7f', hvswitch: '#1f77b4', 'ovs-netdev': '#ff7f0e' };
const EXTRA = ['#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function wrap(text, width) {
  const lines = [];
  let cur = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + w.length > width) { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

export const CHART_METRICS = ['delivered_mpps', 'dut_cpu_s_per_mpkt', 'path_cpu_s_per_mpkt', 'tcp_gbps', 'lat_p50_ms', 'lat_p99_ms'];

export function chart({ scen, agg, devices, metrics, machine }) {
  const W = 760, left = 130, right = 170, barH = 18, gap = 6, panelPad = 34;
  const plotW = W - left - right;
  const color = (d, i) => PALETTE[d] ?? EXTRA[i % EXTRA.length];
  const panels = metrics.filter((m) => devices.some((d) => agg?.[d]?.[m.key]));
  let y = 52;
  const parts = [];
  parts.push(`<text x="12" y="22" font-size="15" font-weight="bold">${esc(scen.name)}: ${esc(scen.title)}</text>`);
  parts.push(`<text x="12" y="40" font-size="11" fill="#555">${esc(`${machine.cpu_model}, ${machine.cores} cores, kernel ${machine.kernel}, ${machine.date.slice(0, 16)}Z`)}</text>`);
  for (const m of panels) {
    const vals = devices.flatMap((d) => { const f = agg[d]?.[m.key]; return f ? [f.max, f.median] : []; });
    const max = Math.max(...vals, 1e-9) * 1.05;
    const x = (v) => left + (plotW * v) / max;
    parts.push(`<text x="12" y="${y + 14}" font-size="12" font-weight="bold">${esc(m.label)}</text>`);
    parts.push(`<text x="${W - 12}" y="${y + 14}" font-size="11" fill="#555" text-anchor="end">${m.better} is better</text>`);
    y += 22;
    devices.forEach((d, i) => {
      const f = agg[d]?.[m.key];
      const cy = y + barH / 2;
      parts.push(`<text x="${left - 8}" y="${cy + 4}" font-size="11" text-anchor="end">${esc(d)}</text>`);
      if (!f) {
        const why = agg[d]?.errors?.length ? 'failed (see the table)'
          : d === 'linux-bridge' && m.key === 'dut_cpu_s_per_mpkt' ? 'n/a: kernel, runs in the sender\'s softirq' : 'not measured';
        parts.push(`<text x="${left + 4}" y="${cy + 4}" font-size="11" fill="#999">${why}</text>`);
      } else {
        parts.push(`<rect x="${left}" y="${y}" width="${(x(f.median) - left).toFixed(1)}" height="${barH}" fill="${color(d, i)}" opacity="0.85"/>`);
        if (f.n > 1) {
          parts.push(`<line x1="${x(f.min).toFixed(1)}" x2="${x(f.max).toFixed(1)}" y1="${cy}" y2="${cy}" stroke="#000" stroke-width="1.2"/>`);
          for (const v of [f.min, f.max]) parts.push(`<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${cy - 5}" y2="${cy + 5}" stroke="#000" stroke-width="1.2"/>`);
        }
        const ratio = f.ratio !== undefined ? `  ×${f.ratio.toFixed(2)}` : '';
        parts.push(`<text x="${left + plotW + 8}" y="${cy + 4}" font-size="11">${esc(f.median.toFixed(m.digits) + ratio)}</text>`);
      }
      y += barH + gap;
    });
    y += panelPad - gap;
  }
  for (const line of wrap(scen.note ?? '', 115)) {
    parts.push(`<text x="12" y="${y}" font-size="11" fill="#555">${esc(line)}</text>`);
    y += 14;
  }
  parts.push(`<text x="12" y="${y}" font-size="11" fill="#555">bar: median; whisker: min–max over repetitions; ×: ratio to linux-bridge in the same run</text>`);
  y += 14;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}" font-family="sans-serif">\n` +
    `<rect width="100%" height="100%" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}
