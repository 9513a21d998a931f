#!/usr/bin/env bash
# Installs the system packages volstream needs from Debian's packages when they are missing:
#   nats-server (always), and with --test also chromium (dashboard browser tests) and
#   docker-compose (compose v1, to validate docker-compose.yml without a Docker engine).
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
set -euo pipefail
want=(nats-server)
[ "${1:-}" = "--test" ] && want+=(chromium docker-compose)

bin_of() { case "$1" in nats-server) echo nats-server;; chromium) echo chromium;; docker-compose) echo docker-compose;; esac; }
missing=()
for p in "${want[@]}"; do
  command -v "$(bin_of "$p")" >/dev/null 2>&1 || [ -x "/usr/sbin/$(bin_of "$p")" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing from Debian's packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
