import type { IncomingMessage, ServerResponse } from 'node:http';
import { FLASK_INTERNAL_ERROR_PAGE, InspectorApiError, UncaughtInspectorError } from './api-error.js';
import { type HandlerContext, handle } from './api-handlers.js';
import {
  checkRequestedVersion,
  MAX_API_VERSION,
  MAX_VERSION_HEADER,
  MIN_API_VERSION,
  MIN_VERSION_HEADER,
  VERSION_HEADER,
} from './api-version.js';
import type { ResolvedBehaviour } from './behaviour.js';
import type { IntrospectionStore } from './introspection-store.js';
import type { IronicNodes } from './ironic-nodes.js';
import type { IronicSync } from './ironic-sync.js';
import { isNodeUuid, normalizeNodeUuid } from './node-uuid.js';
import { matchRoute, type Operation, type RouteMatch } from './routes.js';
import type { StatsRecorder } from './stats.js';

/** What the HTTP layer needs from the simulator. */
export interface HttpHandlerDeps {
  readonly store: IntrospectionStore;
  readonly ironic: IronicNodes;
  /** inspector's periodic sync with Ironic, run (when due) before a request is served. */
  readonly sync: IronicSync;
  readonly stats: StatsRecorder;
  readonly behaviourOf: (uuid: string) => ResolvedBehaviour;
  /** Behaviour for requests that name no valid node. */
  readonly defaultBehaviour: () => ResolvedBehaviour;
  /** `host:port` used for links when a request carries no Host header. */
  readonly fallbackHost: () => string;
}

/** A request listener plus a way to drop answers still waiting on a configured delay. */
export interface InspectorHttpHandler {
  readonly listener: (request: IncomingMessage, response: ServerResponse) => void;
  cancelPendingDelays(): void;
}

const NODE_OPERATIONS: ReadonlySet<Operation> = new Set([
  'getStatus',
  'startIntrospection',
  'abortIntrospection',
  'getData',
]);
// Werkzeug's texts, which inspector passes through for unrouted requests.
const NOT_FOUND_MESSAGE =
  '404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';
const METHOD_NOT_ALLOWED_MESSAGE = '405 Method Not Allowed: The method is not allowed for the requested URL.';
const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/** Objects with their keys sorted, as Flask's `jsonify` writes them. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.setHeader(MIN_VERSION_HEADER, MIN_API_VERSION);
  response.setHeader(MAX_VERSION_HEADER, MAX_API_VERSION);
  // Compact, keys sorted, a trailing newline: Flask's jsonify. A 202 is `{}` (inspector's
  // `_generate_empty_response`), never an empty body.
  const payload = `${JSON.stringify(body ?? {}, sortedKeys)}\n`;
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
  });
  response.end(payload);
}

function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.setHeader(MIN_VERSION_HEADER, MIN_API_VERSION);
  response.setHeader(MAX_VERSION_HEADER, MAX_API_VERSION);
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
  });
  response.end(html);
}

function sendError(response: ServerResponse, status: number, message: string): void {
  send(response, status, { error: { message } });
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Builds the request listener of the simulated inspector, with per-node delays and faults. */
export function createInspectorHttpHandler(deps: HttpHandlerDeps): InspectorHttpHandler {
  const pendingDelays = new Set<NodeJS.Timeout>();

  async function respond(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    match: RouteMatch,
  ): Promise<void> {
    if (match.kind === 'notFound') {
      sendError(response, 404, NOT_FOUND_MESSAGE);
      return;
    }
    if (match.kind === 'methodNotAllowed') {
      response.setHeader('Allow', [...match.allow, 'OPTIONS'].join(', '));
      sendError(response, 405, METHOD_NOT_ALLOWED_MESSAGE);
      return;
    }
    const context: HandlerContext = {
      store: deps.store,
      ironic: deps.ironic,
      stats: deps.stats,
      behaviourOf: deps.behaviourOf,
      urlRoot: `http://${request.headers.host ?? deps.fallbackHost()}`,
    };
    try {
      checkRequestedVersion(headerValue(request, VERSION_HEADER));
      await deps.sync.runIfDue();
      const answer = await handle(context, {
        operation: match.operation,
        param: match.param,
        query: url.searchParams,
      });
      send(response, answer.status, answer.body);
    } catch (error) {
      if (error instanceof UncaughtInspectorError) {
        sendHtml(response, error.status, FLASK_INTERNAL_ERROR_PAGE);
      } else if (error instanceof InspectorApiError) {
        sendError(response, error.status, error.message);
      } else {
        sendError(response, 500, INTERNAL_ERROR_MESSAGE);
      }
    }
  }

  /** Behaviour governing a request: the named node's, the default one for a malformed id, none off node routes. */
  function behaviourFor(match: RouteMatch): ResolvedBehaviour | undefined {
    if (match.kind !== 'operation' || !NODE_OPERATIONS.has(match.operation)) return undefined;
    return isNodeUuid(match.param)
      ? deps.behaviourOf(normalizeNodeUuid(match.param))
      : deps.defaultBehaviour();
  }

  function serve(request: IncomingMessage, response: ServerResponse, url: URL, match: RouteMatch): void {
    const behaviour = behaviourFor(match);
    if (behaviour?.closeConnection) {
      request.socket.destroy();
      return;
    }
    if (behaviour?.serverError) {
      sendError(response, 500, INTERNAL_ERROR_MESSAGE);
      return;
    }
    void respond(request, response, url, match);
  }

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://simulator.invalid');
    const match = matchRoute(request.method ?? 'GET', url.pathname);
    deps.stats.requestStarted(match.kind === 'operation' ? match.routeKey : 'other');
    response.once('close', () => deps.stats.requestEnded());
    // Request bodies carry nothing the simulator uses; drain them so the connection can be reused.
    request.resume();

    const delay = behaviourFor(match)?.responseDelayMs ?? 0;
    if (delay <= 0) {
      serve(request, response, url, match);
      return;
    }
    // Faults are read again after the delay, so a test may switch them while a request waits.
    const timer = setTimeout(() => {
      pendingDelays.delete(timer);
      serve(request, response, url, match);
    }, delay);
    pendingDelays.add(timer);
  };

  return {
    listener,
    cancelPendingDelays() {
      for (const timer of pendingDelays) clearTimeout(timer);
      pendingDelays.clear();
    },
  };
}
