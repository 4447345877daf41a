import { afterAll } from 'vitest';
import { dropFileSchemas } from './test-databases.js';

// A setup file runs for every test file, and registers this before the file's own hooks: in vitest's
// stack order it runs after them, once every conductor and pool of the file is closed.
afterAll(dropFileSchemas);
