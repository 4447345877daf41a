export {
  type IronicApiStandIn,
  type StandInNode,
  type StandInNodeSource,
  startIronicApiStandIn,
} from './ironic-stand-in.js';
