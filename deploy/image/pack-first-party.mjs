#!/usr/bin/env node
// The image's build stage: compiles and packs every first-party package (the SDK, the sandbox, the
// kernel, the test kit and the plugins) into a folder the image's registry publishes from at run
// time (registry.mjs). Usage: node --import tsx deploy/image/pack-first-party.mjs <out folder>
import { resolve } from 'node:path';
import { packFirstParty } from '@erp/kernel/marketplace';

const out = resolve(process.argv[2] ?? 'first-party');
const log = { info: (message) => process.stdout.write(`${message}\n`) };
const files = await packFirstParty(out, log);
process.stdout.write(`${files.length} release(s) packed into ${out}\n`);
