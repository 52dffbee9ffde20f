// Charts of ns per increment by mode and threads: an SVG (log scale, one line per series) and text bars.

export interface Series {
  readonly name: string;
  /** One value per thread count; NaN where not measured. */
  readonly values: readonly number[];
}

const COLORS = ['#d62728', '#2ca02c', '#1f77b4', '#9467bd', '#ff7f0e', '#7f7f7f', '#bcbd22', '#17becf', '#8c564b'];

export function chartSvg(series: readonly Series[], threads: readonly number[], title: string): string {
  const width = 720;
  const height = 420;
  const left = 70;
  const right = 210;
  const top = 40;
  const bottom = 50;
  const values = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const x = (i: number) => left + (threads.length === 1 ? 0.5 : i / (threads.length - 1)) * (width - left - right);
  const y = (v: number) => top + (1 - (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (height - top - bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="22" font-size="14">${escape(title)}</text>`,
  ];
  for (let decade = lo; decade <= hi; decade *= 10) {
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y(decade)}" y2="${y(decade)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 8}" y="${y(decade) + 4}" text-anchor="end">${decade} ns</text>`);
  }
  threads.forEach((t, i) => parts.push(`<text x="${x(i)}" y="${height - bottom + 20}" text-anchor="middle">${t} thread${t === 1 ? '' : 's'}</text>`));
  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length]!;
    const points = s.values.map((v, i) => (Number.isFinite(v) && v > 0 ? `${x(i)},${y(v)}` : null)).filter((p) => p !== null);
    if (points.length > 1) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>`);
    for (const point of points) {
      const [px, py] = point.split(',');
      parts.push(`<circle cx="${px}" cy="${py}" r="3" fill="${color}"/>`);
    }
    parts.push(`<rect x="${width - right + 15}" y="${top + k * 20 - 9}" width="12" height="12" fill="${color}"/>`);
    parts.push(`<text x="${width - right + 32}" y="${top + k * 20 + 1}">${escape(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** One bar per series and thread count, on a log scale so that 5 ns and 500 ns both show. */
export function chartText(series: readonly Series[], threads: readonly number[]): string[] {
  const width = 40;
  const values = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.log10(Math.min(...values)) - 0.1;
  const hi = Math.log10(Math.max(...values));
  const nameWidth = Math.max(...series.map((s) => s.name.length));
  const lines: string[] = [];
  threads.forEach((t, i) => {
    lines.push(`${t} thread${t === 1 ? '' : 's'}:`);
    for (const s of series) {
      const v = s.values[i]!;
      if (!Number.isFinite(v)) continue;
      const filled = Math.max(1, Math.round(((Math.log10(v) - lo) / (hi - lo)) * width));
      lines.push(`  ${s.name.padEnd(nameWidth)}  ${'█'.repeat(filled)} ${v.toFixed(1)} ns`);
    }
  });
  return lines;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}
