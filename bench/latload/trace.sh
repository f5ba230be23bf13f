#!/usr/bin/env bash
# bench/latload/trace.sh OUTDIR -- <npm run bench args>: runs the bench and,
# during every lat-load window (an hvgen stream), records the kernel's view
# of the ping's crossing with perf (system-wide tracepoints: the 98 B ping
# frames at every xmit/netif_rx/netif_receive_skb, every frame the switch
# sends on its egress port (sw1 / tap1), the worker's polls that found
# frames, its sendmmsg/recvmmsg/read/writev, ping's send/receive and its
# wake-ups).  One perf.data per window (trace-N.data) with the device it
# measured (trace-N.dut); bench/latload/analyze.mjs turns them into per-hop
# times.  Run as root, under the netns lock, with --reps 1 and --tests lat-load.
set -euo pipefail
out=$1; shift; [ "$1" = -- ] && shift
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
secs=${TRACE_SECONDS:-2.3}
bash "$here/../run.sh" "$@" > "$out/bench.log" 2>&1 &
bench=$!
n=0; seen=""
EV=(-e 'net:net_dev_start_xmit' --filter 'len == 98 || name == "sw1" || name == "tap1"'
    -e 'net:netif_rx' --filter 'len == 84'
    -e 'net:netif_receive_skb' --filter 'len == 84 || name == "tap1"'
    -e 'syscalls:sys_exit_poll' --filter 'ret > 0'
    -e 'syscalls:sys_enter_sendmmsg' -e 'syscalls:sys_exit_sendmmsg'
    -e 'syscalls:sys_exit_recvmmsg' --filter 'ret > 0'
    -e 'syscalls:sys_exit_read' --filter 'ret == 108 || ret == 70'
    -e 'syscalls:sys_enter_writev' -e 'syscalls:sys_exit_writev' --filter 'ret == 108'
    -e 'syscalls:sys_enter_sendto' -e 'syscalls:sys_enter_sendmsg' -e 'syscalls:sys_exit_recvmsg'
    -e 'sched:sched_wakeup' -e 'sched:sched_switch')
# TRACE_SOFTIRQ=1: also irq:softirq_entry/exit on the switch's CPU (what ksoftirqd runs)
[ -n "${TRACE_SOFTIRQ:-}" ] && EV+=(-e 'irq:softirq_entry' -e 'irq:softirq_exit')
while kill -0 $bench 2>/dev/null; do
  g=$(pgrep -x hvgen | head -1 || true)
  if [ -z "$g" ] || [[ " $seen " == *" $g "* ]]; then sleep 0.05; continue; fi
  seen="$seen $g"; n=$((n + 1))
  # which device: the hvswitchd beside it (its checkout and polling config), or none (the bridge)
  d=$(pgrep -f 'dist/src/daemon/main.js' | head -1 || true)
  if [ -n "$d" ]; then
    cfg=$(tr '\0' ' ' < /proc/$d/cmdline | sed -E 's/.*--config ([^ ]+).*/\1/')
    { tr '\0' ' ' < /proc/$d/cmdline; echo; grep -A4 polling "$cfg" 2>/dev/null || true; } > "$out/trace-$n.dut"
  else echo "no hvswitchd (bridge)" > "$out/trace-$n.dut"; fi
  sleep 0.9
  perf record -q -a -o "$out/trace-$n.data" "${EV[@]}" -- sleep "$secs" > "$out/perf-$n.log" 2>&1 || true
  while kill -0 "$g" 2>/dev/null; do sleep 0.05; done
done
wait $bench
