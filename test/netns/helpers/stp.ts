// Helpers of the spanning tree namespace tests (stp-rstp, stp-kernel).

/** The time (ms since the epoch) of the first JSON log line with message `msg` at or after `since`. */
export function logTime(output: string, msg: string, since: number): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes(`"msg":"${msg}"`)) continue;
    try {
      const t = (JSON.parse(line) as { time: number }).time;
      if (t >= since) return t;
    } catch { /* a partial line */ }
  }
  return undefined;
}
