#!/usr/bin/env node
// The `volstream` command. The project runs from its TypeScript sources through tsx, so there
// is no build step between a checkout and a running system.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../apps/cli/src/main.ts');
process.exitCode = await main(process.argv.slice(2));
