#!/usr/bin/env node
// The `erp` command. The kernel ships as TypeScript run through tsx's loader (see README: "Why tsx").
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
