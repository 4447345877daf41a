/** An error answer of the simulated API: inspector sends it as `{"error": {"message": ...}}` with `status`. */
export class InspectorApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'InspectorApiError';
    this.status = status;
  }
}

/** Werkzeug's page for an error raised outside inspector's handlers, which Flask sends as HTML. */
export const FLASK_INTERNAL_ERROR_PAGE = `<!doctype html>
<html lang=en>
<title>500 Internal Server Error</title>
<h1>Internal Server Error</h1>
<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>
`;

/**
 * An error inspector does not catch itself: Flask answers it with {@link FLASK_INTERNAL_ERROR_PAGE}, as
 * HTML, whatever the route.
 */
export class UncaughtInspectorError extends InspectorApiError {
  constructor(reason: string) {
    super(500, reason);
    this.name = 'UncaughtInspectorError';
  }
}
