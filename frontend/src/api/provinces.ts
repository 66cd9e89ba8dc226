// The 34 provincial-level units in force since 2025 (GET /api/v1/provinces).
import { get } from './client.ts';

/** ProvinceKind tells a centrally governed city from a province. */
export type ProvinceKind = 'city' | 'province';

/** Province is one of the 34 provinces and centrally governed cities. */
export interface Province {
  slug: string;
  name: string;
  kind: ProvinceKind;
  capital: string;
  lat: number;
  lng: number;
  /** merged_from names the former provinces merged into this one in 2025, other than one of its own name. */
  merged_from: string[];
}

/** ProvinceList is the body of GET /api/v1/provinces. */
export interface ProvinceList {
  items: Province[];
}

/** listProvinces fetches every province, in the server's order. */
export async function listProvinces(signal?: AbortSignal): Promise<Province[]> {
  const body = await get<ProvinceList>('/provinces', signal);
  return body.items;
}
