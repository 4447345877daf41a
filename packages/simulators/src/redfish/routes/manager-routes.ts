import {
  ACCOUNT_SERVICE_URI,
  ACCOUNTS_URI,
  JOBS_URI,
  jobUri,
  LOG_SERVICES_URI,
  MANAGER_ETHERNET_URI,
  MANAGER_URI,
  MANAGERS_URI,
  NETWORK_PROTOCOL_URI,
  OEM_JOBS_URI,
  SEL_URI,
} from '../paths.js';
import { dellJob, dellJobCollection } from '../resources/jobs.js';
import {
  ACCOUNT_ID,
  account,
  accountCollection,
  accountService,
  logServiceCollection,
  MANAGER_NIC_ID,
  managerNic,
  managerNicCollection,
  networkProtocol,
  selEntries,
  selLogService,
} from '../resources/manager-services.js';
import { manager, managerCollection } from '../resources/service.js';
import { at, notFound, ok, type Route, under } from '../route-kit.js';

function jobRoutes(base: string): Route[] {
  return [
    at(base, {
      GET: (request, { state }) => ok(dellJobCollection(state.jobs(), base, request.query.has('$expand'))),
    }),
    under(base, {
      GET: (_request, { state }, id) => {
        const job = state.job(id);
        if (job === undefined) throw notFound(jobUri(id, base));
        return ok(dellJob(job, base));
      },
    }),
  ];
}

/** The iDRAC: its Dell job queue (also under `Oem/Dell/Jobs`), NIC, logs, protocols and accounts. */
export const managerRoutes: readonly Route[] = [
  at(MANAGERS_URI, { GET: () => ok(managerCollection()) }),
  at(MANAGER_URI, { GET: (_r, { identity, now }) => ok(manager(identity, now)) }),
  ...jobRoutes(JOBS_URI),
  ...jobRoutes(OEM_JOBS_URI),
  at(MANAGER_ETHERNET_URI, { GET: () => ok(managerNicCollection()) }),
  at(`${MANAGER_ETHERNET_URI}/${MANAGER_NIC_ID}`, { GET: (_r, { identity }) => ok(managerNic(identity)) }),
  at(LOG_SERVICES_URI, { GET: () => ok(logServiceCollection()) }),
  at(SEL_URI, { GET: (_r, { now }) => ok(selLogService(now)) }),
  at(`${SEL_URI}/Entries`, { GET: () => ok(selEntries()) }),
  at(NETWORK_PROTOCOL_URI, { GET: (_r, { identity }) => ok(networkProtocol(identity)) }),
  at(ACCOUNT_SERVICE_URI, { GET: () => ok(accountService()) }),
  at(ACCOUNTS_URI, { GET: () => ok(accountCollection()) }),
  at(`${ACCOUNTS_URI}/${ACCOUNT_ID}`, { GET: (_r, { username }) => ok(account(username)) }),
];
