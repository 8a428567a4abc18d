#!/usr/bin/env node
// The compiled CLI; `npm ci` builds dist/ through the prepare script.
import { runWcoProcess } from '../dist/cli/wco.js';

await runWcoProcess();
