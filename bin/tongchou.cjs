#!/usr/bin/env node
// The CLI runs compiled JavaScript (dist/build-<hash>, scripts/build.cjs) made from exactly the
// sources in the tree: when they changed since the last build it builds again first (esbuild,
// about a second); only if that cannot be done (no esbuild, a read-only tree) does it run the
// TypeScript sources through tsx, which is correct too, only slower to start.
'use strict';
const path = require('node:path');

function compiled() {
  const { build, currentBuild } = require('../scripts/build.cjs');
  if (process.env.TONGCHOU_FROM_SOURCES === '1') return undefined;
  try {
    return currentBuild() ?? build();
  } catch (err) {
    if (process.stderr.isTTY) process.stderr.write(`tongchou: running from the TypeScript sources (no build: ${err instanceof Error ? err.message : String(err)})\n`);
    return undefined;
  }
}

const dir = compiled();
if (dir) {
  require(path.join(dir, 'src', 'cli', 'main.js'));
} else {
  require('tsx/cjs');
  require('../src/cli/main.ts');
}
