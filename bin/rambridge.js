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

try {
  const { main } = await import('../dist/cli/main.js');
  await main(process.argv);
} catch (err) {
  fail(err);
}
