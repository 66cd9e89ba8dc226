// The OCOP product groups (GET /api/v1/ocop-groups).
import { get } from './client.ts';
import type { components, operations } from './schema';

/** OcopGroup is one OCOP product group: its slug and its Vietnamese and English names. */
export type OcopGroup = components['schemas']['OCOPGroup'];

/** OcopGroupList is the body of GET /api/v1/ocop-groups. */
export type OcopGroupList = operations['listOCOPGroups']['responses'][200];

/** listOcopGroups fetches the groups, in the programme's official order. */
export async function listOcopGroups(signal?: AbortSignal): Promise<OcopGroup[]> {
  const body = await get<OcopGroupList>('/ocop-groups', signal);
  return body.items;
}
