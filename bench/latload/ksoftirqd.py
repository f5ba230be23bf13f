#!/usr/bin/env python3
# bench/latload/ksoftirqd.py TRACE.txt (perf script --ns of a TRACE_SOFTIRQ=1 trace):
# of the ping requests that waited > 50 µs on the switch port for the worker's
# sendmmsg, how many waited while ksoftirqd/1 ran on the worker's CPU.
import bisect, re, sys
ev = []
for l in open(sys.argv[1]):
    m = re.match(r'\s*(\S+)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):\s*(.*)', l)
    if m: ev.append((float(m.group(4)), m.group(1), m.group(3), m.group(5), m.group(6)))
ints, s = [], None
for t, c, cpu, e, r in ev:
    if cpu == '001' and e == 'sched:sched_switch':
        if 'next_comm=ksoftirqd/1 ' in r: s = t
        elif 'prev_comm=ksoftirqd/1 ' in r and s: ints.append((s, t)); s = None
starts = [a for a, b in ints]
tot = slow = slowk = 0
for k, x in enumerate(ev):
    if not (x[3] == 'net:netif_receive_skb' and 'dev=sw0' in x[4] and 'len=84' in x[4]): continue
    t0 = x[0]
    j = next((j for j in range(k + 1, min(k + 5000, len(ev))) if ev[j][1].startswith('hv-worker') and 'sys_enter_sendmmsg' in ev[j][3]), None)
    if j is None: continue
    tot += 1
    if (ev[j][0] - t0) * 1e6 > 50:
        slow += 1
        p = bisect.bisect_right(starts, ev[j][0]) - 1
        if p >= 0 and ints[p][1] > t0: slowk += 1
share = sum(b - a for a, b in ints) / (ev[-1][0] - ev[0][0])
print(f'requests {tot}; waited > 50 us for the worker {slow}; of those, ksoftirqd/1 ran meanwhile {slowk}; ksoftirqd/1 time share {share:.1%}')
