import { afterAll } from 'vitest';
import { dropFleetSchemas } from './fleet-conductor.js';

// A setup file runs for every test file, and registers this before the file's own hooks: in vitest's
// stack order it runs after them, once every conductor of the file is stopped.
afterAll(dropFleetSchemas);
