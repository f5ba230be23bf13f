#!/usr/bin/env bash
# Installs hvswitchd as a systemd service (docs/systemd.md):
#  - packaging/hvswitchd.service -> $ROOT/etc/systemd/system/hvswitchd.service,
#    with ExecStart= pointing at this node and this (built) hvswitch tree;
#  - $ROOT/etc/hvswitch/hvswitchd.yaml from the built-in default config, unless
#    one exists (it is never overwritten);
#  - `systemctl daemon-reload` when systemd is the running init (sd_booted(3):
#    /run/systemd/system exists); elsewhere it says so and succeeds, so the
#    files can be laid down in an image or a container without systemd.
# It does not enable or start the service: `systemctl enable --now hvswitchd`.
# Usage: scripts/install-service.sh [--root DIR] [--node PATH] [--watchdog SEC|0]
#   --root DIR      install under DIR (an image, a package build); no daemon-reload
#   --node PATH     the node binary (default: `command -v node`)
#   --watchdog SEC  WatchdogSec= (default 10; 0 turns the watchdog off)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
root="" node="" watchdog=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=${2:?--root needs a directory}; shift 2 ;;
    --node) node=${2:?--node needs a path}; shift 2 ;;
    --watchdog) watchdog=${2:?--watchdog needs seconds}; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-service: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
node=${node:-$(command -v node || true)}
if [ -z "$node" ] || [ ! -x "$node" ]; then echo "install-service: node not found (give --node PATH)" >&2; exit 1; fi
node=$(readlink -f "$node")
main="$src/dist/src/daemon/main.js"
if [ ! -f "$main" ] || [ ! -f "$src/build/addon/Release/hvswitch.node" ]; then
  echo "install-service: $src is not built (run npm run build first)" >&2; exit 1
fi
if [ -n "$watchdog" ] && ! [[ "$watchdog" =~ ^[0-9]+$ ]]; then echo "install-service: --watchdog wants whole seconds" >&2; exit 2; fi
[ -z "$root" ] && [ "$(id -u)" != 0 ] && { echo "install-service: run as root (or give --root DIR)" >&2; exit 1; }

unit_dir="$root/etc/systemd/system" conf_dir="$root/etc/hvswitch"
mkdir -p "$unit_dir" "$conf_dir"
unit=$(sed -e "s|^ExecStart=.*|ExecStart=$node $main --config /etc/hvswitch/hvswitchd.yaml|" \
           -e "s|^Documentation=.*|Documentation=file://$src/docs/systemd.md|" "$src/packaging/hvswitchd.service")
# ProtectHome=yes hides /home, /root and /run/user: a tree there must stay readable.
case "$src/ $node" in
  /home/*|/root/*|/run/user/*|*" /home/"*|*" /root/"*|*" /run/user/"*)
    unit=$(sed 's|^ProtectHome=yes$|ProtectHome=read-only|' <<<"$unit")
    echo "install-service: hvswitch or node is under a home directory: ProtectHome=read-only instead of yes" ;;
esac
[ -n "$watchdog" ] && unit=$(sed "s|^WatchdogSec=.*|WatchdogSec=${watchdog}s|" <<<"$unit")
printf '%s\n' "$unit" >"$unit_dir/hvswitchd.service.tmp"
chmod 0644 "$unit_dir/hvswitchd.service.tmp"
mv "$unit_dir/hvswitchd.service.tmp" "$unit_dir/hvswitchd.service"
echo "install-service: wrote $unit_dir/hvswitchd.service (ExecStart=$node $main)"
if [ -e "$conf_dir/hvswitchd.yaml" ]; then
  echo "install-service: kept $conf_dir/hvswitchd.yaml"
else
  "$node" "$main" --print-default-config >"$conf_dir/hvswitchd.yaml.tmp"
  chmod 0600 "$conf_dir/hvswitchd.yaml.tmp"
  mv "$conf_dir/hvswitchd.yaml.tmp" "$conf_dir/hvswitchd.yaml"
  echo "install-service: wrote $conf_dir/hvswitchd.yaml (the built-in default config: edit it)"
fi
if [ -z "$root" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  echo "install-service: systemd reloaded; start it with: systemctl enable --now hvswitchd"
else
  echo "install-service: systemd is not running here${root:+ (or --root given)}: no daemon-reload; on the target: systemctl daemon-reload && systemctl enable --now hvswitchd"
fi
