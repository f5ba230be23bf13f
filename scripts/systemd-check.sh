#!/usr/bin/env bash
# hvswitchd under a real systemd, where the machine's own init is not systemd
# (docs/systemd.md): boots this machine's systemd in a container
# (systemd-nspawn --volatile=yes: the host's /usr, an empty /etc, its own
# network namespace), installs the unit with scripts/install-service.sh
# (WatchdogSec=4s) and a config with a TAP port, a memory port and a VRF host
# interface, then checks, with systemctl inside the container:
#   1. `systemctl start` returns once hvswitchd sent READY=1; its STATUS shows;
#      the TAP and the host interface exist (the hardening lets it do that);
#   2. `systemctl reload` (SIGHUP) completes;
#   3. a stalled worker (the SIGUSR2 test hook, only in this container's
#      drop-in) stops the watchdog pings: systemd aborts and restarts it;
#   4. `systemctl stop` ends it cleanly and its TAP devices are gone.
# Manual: it boots a whole OS userland (a minute of CPU); not part of npm test.
# Run as root; installs systemd-container if missing.  Cleans up on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
[ "$(id -u)" = 0 ] || { echo "systemd-check: run as root" >&2; exit 1; }
command -v systemd-nspawn >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd-container >/dev/null
[ -f dist/src/daemon/main.js ] && [ -f build/addon/Release/hvswitch.node ] || { echo "systemd-check: build first (npm run build)" >&2; exit 1; }
modules=$(readlink -f node_modules)
tmp=$(mktemp -d) nspawn_pid="" passed=0 failed=0
cleanup() {
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill "$nspawn_pid" 2>/dev/null || true
    wait "$nspawn_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
check() { # check NAME COMMAND...: one result line
  local name=$1; shift
  if "$@"; then echo "ok - $name"; passed=$((passed + 1)); else echo "not ok - $name"; failed=$((failed + 1)); fi
}
until_true() { # until_true SECONDS COMMAND...
  local end=$((SECONDS + $1)); shift
  until "$@"; do [ $SECONDS -lt $end ] || return 1; sleep 0.5; done
}

bash scripts/install-service.sh --root "$tmp/root" --watchdog 4 >/dev/null
cat >"$tmp/root/etc/hvswitch/hvswitchd.yaml" <<'EOF'
workers: 2
bridges: { br0: {} }
vrfs:
  mgmt: { host-interface: { name: hv-mgmt0, addresses: [10.0.0.1/32], routes: [10.1.0.0/24] } }
ports:
  hv-vm1: { backend: tap, bridge: br0, vlan: 10 }
  m1: { backend: memory, bridge: br0, vlan: 10 }
EOF
mkdir -p "$tmp/dropin"
printf '[Service]\nEnvironment=HVSWITCHD_TEST_STALL_WORKER=1:10000\n' >"$tmp/dropin/test-hook.conf"
# masked: the first-boot wizard (waits for a key) and waiting for a network nobody configures
systemd-nspawn --keep-unit --register=no --volatile=yes -D / --private-network --machine="hvsd$$" \
  --bind-ro="$src" --bind-ro="$modules" \
  --bind-ro="$tmp/root/etc/systemd/system/hvswitchd.service:/etc/systemd/system/hvswitchd.service" \
  --bind-ro="$tmp/dropin:/etc/systemd/system/hvswitchd.service.d" \
  --bind="$tmp/root/etc/hvswitch:/etc/hvswitch" \
  --bind-ro=/dev/null:/etc/systemd/system/systemd-firstboot.service \
  --bind-ro=/dev/null:/etc/systemd/system/systemd-networkd-wait-online.service \
  --boot -- systemd.unit=basic.target >"$tmp/nspawn.log" 2>&1 &
nspawn_pid=$!
init=""
until_true 30 bash -c "pgrep -P $nspawn_pid >/dev/null" || { cat "$tmp/nspawn.log"; exit 1; }
init=$(pgrep -P "$nspawn_pid" | head -1)
inside() { nsenter -t "$init" -a "$@"; }
prop() { inside systemctl show hvswitchd -p "$1" --value; }
until_true 60 bash -c "nsenter -t $init -a systemctl is-system-running 2>/dev/null | grep -qE 'running|degraded'"
echo "# systemd $(inside systemctl --version | head -1 | cut -d' ' -f2) in a container"

check "systemctl start returns after READY=1" timeout 60 nsenter -t "$init" -a systemctl start hvswitchd
check "active, STATUS '3 ports, 2 workers'" test "$(prop ActiveState)/$(prop StatusText)" = "active/3 ports, 2 workers"
check "TAP port and host interface created" bash -c "nsenter -t $init -a ip -br addr show dev hv-mgmt0 | grep -q 10.0.0.1/32 && nsenter -t $init -a ip link show hv-vm1 >/dev/null"
check "systemctl reload" inside systemctl reload hvswitchd
pid=$(prop MainPID)
inside systemctl kill -s SIGUSR2 --kill-whom=main hvswitchd
check "a stalled worker: watchdog abort and restart" until_true 30 bash -c \
  "[ \"\$(nsenter -t $init -a systemctl show hvswitchd -p NRestarts --value)\" = 1 ] && [ \"\$(nsenter -t $init -a systemctl show hvswitchd -p ActiveState --value)\" = active ]"
check "the watchdog killed it (journal)" bash -c "nsenter -t $init -a journalctl -u hvswitchd -o cat | grep -q 'Watchdog timeout'"
check "a new main process" test "$(prop MainPID)" != "$pid"
check "systemctl stop" inside systemctl stop hvswitchd
check "stopped cleanly, TAP devices gone" bash -c "[ \"\$(nsenter -t $init -a systemctl show hvswitchd -p Result --value)\" = success ] && ! nsenter -t $init -a ip link show hv-vm1 >/dev/null 2>&1"
inside systemctl poweroff || true
until_true 30 bash -c "! kill -0 $nspawn_pid 2>/dev/null" || true
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
