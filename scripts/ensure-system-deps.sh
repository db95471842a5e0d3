#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real (see README "Tests"), when missing.
# Runs before `npm test`; a no-op once they are there.
set -euo pipefail

declare -A needed=(
  [/usr/bin/chromium]=chromium
)

missing=()
for path in "${!needed[@]}"; do
  [ -x "$path" ] || missing+=("${needed[$path]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages for the tests: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
