/** An error answer of the simulated API: inspector sends it as `{"error": {"message": ...}}` with `status`. */
export class InspectorApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'InspectorApiError';
    this.status = status;
  }
}
