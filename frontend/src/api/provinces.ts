// The 34 provincial-level units in force since 2025 (GET /api/v1/provinces).
import { get } from './client.ts';
import type { components, operations } from './schema';

/** Province is one of the 34 provinces and centrally governed cities. */
export type Province = components['schemas']['Province'];

/** ProvinceKind tells a centrally governed city from a province. */
export type ProvinceKind = Province['kind'];

/** ProvinceList is the body of GET /api/v1/provinces. */
export type ProvinceList = operations['listProvinces']['responses'][200];

/** listProvinces fetches every province, in the server's order. */
export async function listProvinces(signal?: AbortSignal): Promise<Province[]> {
  const body = await get<ProvinceList>('/provinces', signal);
  return body.items;
}
