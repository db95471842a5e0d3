#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (npm run build).

/** A module missing under dist/ means the build is absent or older than the sources. */
function isStaleBuild(err) {
  return err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/dist/');
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
    const { answerFromCache } = await import('../dist/cli/cached-creds.js');
    if (await answerFromCache(process.argv.slice(2), process.env)) return;
  }
  const { main } = await import('../dist/cli/main.js');
  await main(process.argv);
}

try {
  await run();
} catch (err) {
  fail(err);
}
