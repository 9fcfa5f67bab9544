#!/usr/bin/env bash
# Install nginx (Debian package) for the two-instance load benchmark, if it is not there yet.
# Only the binary is used: the benchmark writes its own config and runs nginx on a loopback port.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
echo "install-nginx: installing the Debian package nginx"
sudo=$(command -v sudo || true)
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx
# The package starts a system nginx on port 80; the benchmark does not need it.
$sudo systemctl disable --now nginx 2>/dev/null || $sudo service nginx stop 2>/dev/null || true
