#!/usr/bin/env node
// The CLI is built into dist/ by `npm install` (the prepare script): tsc compiles src/, and esbuild bundles it
// with its dependencies into one module, since loading the modules one by one was most of the start-up
// (measured on a scan of an empty file: 0.20-0.24 s -> 0.16-0.17 s on Node 20, 0.12-0.13 s on Node 24). It sits in dist/read/ beside
// the worker thread's entry, which it finds relative to itself.
import { main } from '../dist/read/cli.bundle.mjs';

process.exitCode = await main(process.argv.slice(2));
