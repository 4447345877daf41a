import type { Clock } from '@ironic/periodic-core';
import type { Logger } from 'pino';
import type { AgentClient } from './agent-client.js';
import type { IpaOptions } from './options.js';

/** What the deploy steps share: the agent client, the options, the conductor's clock and a logger. */
export interface DeployContext {
  readonly client: AgentClient;
  readonly options: IpaOptions;
  readonly clock: Clock;
  readonly logger: Logger;
}
