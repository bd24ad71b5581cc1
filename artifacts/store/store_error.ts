/** A failure of a store operation the user can act on; the CLI prints its message, never a stack. */
export class StoreError extends Error {
  override name = "StoreError";
}
