/** The message of an error, or the string form of anything else thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
