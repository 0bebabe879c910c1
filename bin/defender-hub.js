#!/usr/bin/env node
import { relaunchWithHeapLimits } from '../dist/cli/heap-limits.js';

relaunchWithHeapLimits();
await import('../dist/cli/main.js');
