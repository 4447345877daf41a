export { HttpConcurrencyProbe, type HttpConcurrencyProbeOptions } from './http-concurrency-probe.js';
