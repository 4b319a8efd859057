#!/usr/bin/env node
// The `erp-plugin` command; the SDK runs its TypeScript through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
