#!/usr/bin/env node
// CommonJS on purpose: Node starts a CommonJS program faster than an ES module one (the CLI's start
// is measured against `node -e ''` in bench/RESULTS.md); the workers it starts are ES modules.
require('../dist/bundle/cli.cjs');
