#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (npm run build).
//
// This file is CommonJS (bin/package.json), and so is the cached `creds` path it requires
// (src/cli/cached-creds.cts): the aliyun CLI runs `rambridge creds ROLE --format process` before
// every command, and starting Node's ES module loader alone costs about a third of `node -e 0`.
// Everything else is ESM and loads through import().
'use strict';

/** A module missing under dist/ means the build is absent or older than the sources. */
function isStaleBuild(err) {
  const missing = err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND';
  return missing && String(err.message).includes('/dist/');
}

function fail(err) {
  if (isStaleBuild(err)) {
    console.error('rambridge: the compiled CLI in dist/ is missing or out of date.');
    console.error('hint: run `npm run build` (npm start and npm test build first).');
  } else {
    console.error(err);
  }
  process.exit(1);
}

async function run() {
  // `creds` runs before every aliyun command: answer a cache hit before loading the whole CLI.
  if (process.argv[2] === 'creds') {
    const { answerFromCache } = require('../dist/cli/cached-creds.cjs');
    if (await answerFromCache(process.argv.slice(2), process.env)) return;
  }
  const { main } = await import('../dist/cli/main.js');
  await main(process.argv);
}

run().catch(fail);
