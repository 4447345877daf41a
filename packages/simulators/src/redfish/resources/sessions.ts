import { SESSION_SERVICE_URI, SESSIONS_URI, sessionUri } from '../paths.js';
import type { SessionInfo } from '../session-store.js';
import { collection, type Json, link, odata, redfishTime, STATUS_OK } from './common.js';

/** `GET /redfish/v1/SessionService`. */
export function sessionService(timeoutSeconds: number): Json {
  return {
    ...odata(SESSION_SERVICE_URI, 'SessionService', 'v1_1_8'),
    Description: 'Session Service',
    Id: 'SessionService',
    Name: 'Session Service',
    ServiceEnabled: true,
    SessionTimeout: timeoutSeconds,
    Sessions: link(SESSIONS_URI),
    Status: STATUS_OK,
  };
}

/** `GET /redfish/v1/SessionService/Sessions`. */
export function sessionCollection(sessions: readonly SessionInfo[]): Json {
  return collection(
    SESSIONS_URI,
    'SessionCollection',
    'Session Collection',
    sessions.map((session) => sessionUri(session.id)),
  );
}

/** `GET /redfish/v1/SessionService/Sessions/{id}` (also the body of the 201 that created it). */
export function session(info: SessionInfo): Json {
  return {
    ...odata(sessionUri(info.id), 'Session', 'v1_3_0'),
    CreatedTime: redfishTime(info.createdAt),
    Description: 'User Session',
    Id: info.id,
    Name: 'User Session',
    SessionType: 'Redfish',
    UserName: info.username,
  };
}
