#!/usr/bin/env node
// Runs the keruen command line from its TypeScript sources (compiled on load by tsx).
import { register } from 'tsx/esm/api'

register()
await import('../cli.ts')
