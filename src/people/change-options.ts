/** Options of a change to a people record, taken from the request's If-Match header and reason. */
export interface ChangeOptions {
  /** The version the caller last read (from If-Match); the change fails with 412 if it moved on. */
  expectedVersion?: number;
  reason?: string | null;
}
