#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real (see README "Tests"), when missing.
# Runs before `npm test`; a no-op once they are there.
set -euo pipefail

# A file (or glob) each package installs → the package.
declare -A needed=(
  [/usr/bin/chromium]=chromium
  # SAML interop tests: SimpleSAMLphp as a real IdP, run by PHP's built-in server. php-cli is only
  # recommended by simplesamlphp and php-xml (DOM) not even that; mbstring is polyfilled.
  [/usr/share/simplesamlphp/www/saml2/idp/SSOService.php]=simplesamlphp
  [/usr/bin/php]=php-cli
  ['/etc/php/*/mods-available/dom.ini']=php-xml
  # Shared-store tests start their own redis-server on a free port (test/helpers/redis-server.ts).
  [/usr/bin/redis-server]=redis-server
  # Sentinel tests run three Sentinels next to a primary and a replica (test/helpers/redis-topology.ts);
  # Cluster tests need only redis-server and redis-cli (from redis-tools, a dependency of redis-server).
  [/usr/bin/redis-sentinel]=redis-sentinel
  # The zh-CN pages' screenshots: without a CJK font Chromium draws Chinese as empty boxes.
  [/usr/share/fonts/truetype/wqy/wqy-microhei.ttc]=fonts-wqy-microhei
)

missing=()
for path in "${!needed[@]}"; do
  compgen -G "$path" >/dev/null || missing+=("${needed[$path]}")
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
# With recommends, as on the machines the suite was developed on (fonts for Chromium, PHP modules).
apt-get install -y -qq "${missing[@]}" >/dev/null
