#!/usr/bin/env bash
# Installs every Debian package hvswitch needs to build, test, demo and benchmark.
# Idempotent; run as root on Debian 12.  `--runtime` installs only what the demo needs.
set -euo pipefail
runtime=(cmake g++ make pkg-config python3 iproute2 iputils-ping libpcap-dev libxdp-dev libbpf-dev tcpdump
         openvswitch-switch)
testing=(clang libclang-rt-14-dev tshark iperf3 ethtool python3-scapy netsniff-ng gobgpd frr bird2
         libdpdk-dev pkg-config psmisc procps linux-perf valgrind)
pkgs=("${runtime[@]}")
[ "${1:-}" = "--runtime" ] || pkgs+=("${testing[@]}")
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer once, non-interactively.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian packages start daemons of their own; the tests and the demo start their own instances.
for svc in frr gobgpd bird openvswitch-switch; do
  systemctl stop "$svc" >/dev/null 2>&1 || true
done
