#!/usr/bin/env node
import 'reflect-metadata';
import { processIo } from './cli/cli-io';
import { installProcessGuards } from './cli/process-guards';
import { runCli } from './cli/program';
import { applyHeapProfile } from './runtime/heap-profile';

// Before any service code loads: an edge service's process runs with a tight V8 heap (ADR 0011).
applyHeapProfile(process.argv.slice(2));
installProcessGuards();
// process.exitCode rather than process.exit(): pending stdout writes still flush.
void runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
