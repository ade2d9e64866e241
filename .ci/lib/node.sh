#!/usr/bin/env bash
# Node.js and the official clients the Node.js tests drive against the app, pinned: Whop's TypeScript
# client (@whop/sdk) for the SDK conformance test (tests/Whop.Inbox.Tests/Conformance) and ASP.NET Core's
# SignalR client (@microsoft/signalr) for the hub tests (tests/Whop.Inbox.Tests/Realtime). .ci/test
# calls it, and so can you.
#
#   source .ci/lib/node.sh && ensure_sdk
#
# Installs exactly what tests/Whop.Inbox.Tests/Conformance/package.json and package-lock.json pin
# into the git-ignored .tools/node (npm ci), and exports INBOX_NODE_MODULES=<abs>/.tools/node/node_modules,
# where the test looks for it. Idempotent: when the installed copy matches the lock file it does
# nothing but check and export. Installs Debian's nodejs and npm when node is missing (root only).
if [[ $- != *i* ]]; then
    set -euo pipefail
fi

# The shared helpers (_ci_say, _ci_fail, _ci_apt_install) live in postgres.sh; .ci/test has sourced
# it already, a shell that sources only this file gets them here.
if ! declare -F _ci_apt_install >/dev/null; then
    # shellcheck source=postgres.sh
    source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"
fi

INBOX_SDK_PACKAGE=@whop/sdk
INBOX_SDK_VERSION=0.0.42
INBOX_SIGNALR_PACKAGE=@microsoft/signalr
INBOX_SIGNALR_VERSION=10.0.11
INBOX_NODE_MIN_MAJOR=18

_ci_node_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd); }

_ci_ensure_node() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        _ci_say "Node.js or npm is missing; installing them from Debian's packages for the SDK conformance test."
        _ci_apt_install nodejs npm || return 1
        command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
            || { _ci_fail "installed nodejs and npm, but node or npm is still not on PATH"; return 1; }
    fi
    local major
    major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || major=0
    if (( major < INBOX_NODE_MIN_MAJOR )); then
        _ci_fail "Node.js $(node --version 2>/dev/null || echo '?') is too old: the SDK conformance test needs Node.js $INBOX_NODE_MIN_MAJOR or newer (global fetch). Install a newer nodejs package."
        return 1
    fi
}

# The installed version of a package in .tools/node, or nothing.
_ci_installed_version() {
    node -p "try { require('$1/node_modules/$2/package.json').version } catch { '' }" 2>/dev/null || true
}

ensure_sdk() {
    local root src dest stamp wanted
    root=$(_ci_node_root)
    src="$root/tests/Whop.Inbox.Tests/Conformance"
    dest="$root/.tools/node"
    stamp="$dest/.installed-lock.sha256"

    [[ -f $src/package.json && -f $src/package-lock.json ]] \
        || { _ci_fail "$src/package.json or package-lock.json is missing"; return 1; }
    _ci_ensure_node || return 1

    # What is installed is what the lock file said when it was installed; reinstall when it differs.
    wanted=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)
    if [[ $(_ci_installed_version "$dest" "$INBOX_SDK_PACKAGE") == "$INBOX_SDK_VERSION" \
          && $(_ci_installed_version "$dest" "$INBOX_SIGNALR_PACKAGE") == "$INBOX_SIGNALR_VERSION" \
          && -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
        _ci_say "$INBOX_SDK_PACKAGE $INBOX_SDK_VERSION and $INBOX_SIGNALR_PACKAGE $INBOX_SIGNALR_VERSION are installed in .tools/node"
    else
        _ci_say "Installing $INBOX_SDK_PACKAGE $INBOX_SDK_VERSION and $INBOX_SIGNALR_PACKAGE $INBOX_SIGNALR_VERSION into .tools/node (npm ci)"
        mkdir -p "$dest"
        rm -f "$stamp"
        cp "$src/package.json" "$src/package-lock.json" "$dest/"
        (cd "$dest" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) \
            || { _ci_fail "npm ci in $dest failed (is the npm registry reachable?)"; return 1; }
        local package version installed
        for package in "$INBOX_SDK_PACKAGE=$INBOX_SDK_VERSION" "$INBOX_SIGNALR_PACKAGE=$INBOX_SIGNALR_VERSION"; do
            version=${package##*=}
            package=${package%=*}
            installed=$(_ci_installed_version "$dest" "$package")
            [[ $installed == "$version" ]] \
                || { _ci_fail "npm ci installed $package '${installed:-nothing}', expected $version"; return 1; }
        done
        printf '%s\n' "$wanted" >"$stamp"
    fi
    export INBOX_NODE_MODULES="$dest/node_modules"
}
