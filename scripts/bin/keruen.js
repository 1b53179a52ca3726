#!/usr/bin/env node
// Runs the keruen command line compiled to dist/ (npm run build; npm install and npm ci build it).
try {
  await import('../../dist/scripts/cli.js')
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/scripts/cli.js')) throw err
  process.stderr.write('keruen: not built; run npm run build in the keruen folder\n')
  process.exit(1)
}
