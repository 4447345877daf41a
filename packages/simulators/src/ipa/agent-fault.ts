/**
 * An error the agent's API answers with: IPA's WSME-style `{faultcode, faultstring}` body.
 * `faultstring` is `str(exc)`: `"<message>: <details>"` for IPA's own errors, and werkzeug's
 * `"<code> <reason>: <description>"` for HTTP exceptions (bad token, bad body, unknown route).
 */
export class AgentFault extends Error {
  override readonly name = 'AgentFault';
  readonly code = 'IPA_AGENT_FAULT';
  constructor(
    readonly status: number,
    readonly faultstring: string,
  ) {
    super(faultstring);
  }

  /** The JSON body IPA sends. */
  body(): { faultcode: 'Client' | 'Server'; faultstring: string } {
    return { faultcode: this.status >= 500 ? 'Server' : 'Client', faultstring: this.faultstring };
  }

  /** An IPA `RESTError` subclass: `"<message>: <details>"`. */
  static rest(status: number, message: string, details: string): AgentFault {
    return new AgentFault(status, `${message}: ${details}`);
  }

  /** A werkzeug HTTP exception: `"<code> <reason>: <description>"`. */
  static http(status: 400 | 401 | 404 | 405, description: string): AgentFault {
    return new AgentFault(status, `${status} ${HTTP_REASONS[status]}: ${description}`);
  }
}

const HTTP_REASONS = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
} as const;
