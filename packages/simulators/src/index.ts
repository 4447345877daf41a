export * from './discoverd/index.js';
export * from './http/index.js';
export * from './ipa/index.js';
export * from './ironic/index.js';
export * from './redfish/index.js';
