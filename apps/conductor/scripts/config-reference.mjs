#!/usr/bin/env node
// Writes CONFIGURATION.md from the built package's schema; `pnpm config:reference` builds first.
import { writeFile } from 'node:fs/promises';
import { renderConfigReference } from '../dist/index.js';

const file = new URL('../CONFIGURATION.md', import.meta.url);
await writeFile(file, renderConfigReference());
process.stdout.write(`wrote ${file.pathname}\n`);
