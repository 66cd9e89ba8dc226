// Where the pages of traceability live in the application.

/** batchPath is a batch's page on the cooperative's dashboard. */
export function batchPath(coop: string, id: string): string {
  return `/quan-ly/${encodeURIComponent(coop)}/lo-hang/${encodeURIComponent(id)}`;
}

/** labelsPath is the printable label sheet of a batch. */
export function labelsPath(coop: string, id: string): string {
  return `${batchPath(coop, id)}/tem`;
}

/** batchesTabPath is the dashboard's tab of batches. */
export function batchesTabPath(coop: string): string {
  return `/quan-ly/${encodeURIComponent(coop)}?muc=lo-hang`;
}
