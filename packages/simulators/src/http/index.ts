export { HttpConcurrencyProbe } from './http-concurrency-probe.js';
