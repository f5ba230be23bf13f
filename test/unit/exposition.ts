// Prometheus text exposition format for metrics tests: name{labels} -> value, and # TYPE lines.
export function parseExposition(text: string): { values: Map<string, number>; types: Map<string, string> } {
  const values = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) types.set(t[1]!, t[2]!);
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+?)(\{.*\})? (\S+)$/.exec(line);
    if (m) values.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return { values, types };
}
