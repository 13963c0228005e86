#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx, so `npx tongchou` never runs a stale build.
require('tsx/cjs');
require('../src/cli/main.ts');
