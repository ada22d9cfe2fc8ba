#!/usr/bin/env node
import 'reflect-metadata';
import { processIo } from './cli/cli-io';
import { installProcessGuards } from './cli/process-guards';
import { runCli } from './cli/program';

installProcessGuards();
// process.exitCode rather than process.exit(): pending stdout writes still flush.
void runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
