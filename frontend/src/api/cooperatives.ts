// Cooperatives (/api/v1/cooperatives): the public directory and storefronts,
// registration, the manager's profile, members and delegates, and verification.
import { get, post, query, request } from './client.ts';
import type { components, operations } from './schema';

export type CooperativeStorefront = components['schemas']['CooperativeStorefront'];
/** Cooperative is the full record, with its status and review outcome. */
export type Cooperative = components['schemas']['Cooperative'];
export type CooperativeStatus = components['schemas']['CooperativeStatus'];
export type CooperativeRegistration = components['schemas']['CooperativeRegistration'];
export type CooperativeProfile = components['schemas']['CooperativeProfile'];
export type MyCooperative = components['schemas']['MyCooperative'];
export type CooperativeMember = components['schemas']['CooperativeMember'];
export type CooperativeDelegate = components['schemas']['CooperativeDelegate'];
export type CooperativeDirectoryPage = operations['listCooperatives']['responses'][200];
export type ReviewPage = operations['reviewCooperatives']['responses'][200];

const base = '/cooperatives';
const ref = (coop: string) => `${base}/${encodeURIComponent(coop)}`;

/** listCooperatives fetches a page of the directory of verified cooperatives. */
export function listCooperatives(
  filter: { province?: string | undefined; group?: string | undefined; q?: string | undefined },
  cursor?: string,
  signal?: AbortSignal,
): Promise<CooperativeDirectoryPage> {
  return get<CooperativeDirectoryPage>(`${base}${query({ ...filter, cursor, limit: 24 })}`, signal);
}

/** getStorefront fetches the public profile of a verified cooperative. */
export function getStorefront(coop: string, signal?: AbortSignal): Promise<CooperativeStorefront> {
  return get<CooperativeStorefront>(ref(coop), signal);
}

/** registerCooperative registers a cooperative, pending verification; the caller becomes its manager. */
export function registerCooperative(input: CooperativeRegistration): Promise<Cooperative> {
  return post<Cooperative>(base, input);
}

/** myCooperatives lists the cooperatives the signed-in user belongs to. */
export async function myCooperatives(signal?: AbortSignal): Promise<MyCooperative[]> {
  const body = await get<operations['myCooperatives']['responses'][200]>(`${base}/mine`, signal);
  return body.items;
}

/** getRegistration fetches the full record of a cooperative (members, trade staff, admins). */
export function getRegistration(coop: string, signal?: AbortSignal): Promise<Cooperative> {
  return get<Cooperative>(`${ref(coop)}/registration`, signal);
}

/** updateCooperative edits the profile; a rejected cooperative goes back to pending. */
export function updateCooperative(coop: string, input: CooperativeProfile): Promise<Cooperative> {
  return request<Cooperative>(ref(coop), { method: 'PATCH', body: input });
}

/** listMembers lists a cooperative's members, managers first. */
export async function listMembers(coop: string, signal?: AbortSignal): Promise<CooperativeMember[]> {
  const body = await get<operations['listCooperativeMembers']['responses'][200]>(`${ref(coop)}/members`, signal);
  return body.items;
}

/** removeMember removes a member; the last manager stays. Inviting is in invitations.ts. */
export function removeMember(coop: string, userID: string): Promise<void> {
  return request<void>(`${ref(coop)}/members/${encodeURIComponent(userID)}`, { method: 'DELETE' });
}

/** listDelegates lists the trade staff managing a cooperative's listings on its behalf. */
export async function listDelegates(coop: string, signal?: AbortSignal): Promise<CooperativeDelegate[]> {
  const body = await get<operations['listCooperativeDelegates']['responses'][200]>(`${ref(coop)}/delegates`, signal);
  return body.items;
}

/** revokeDelegate ends a delegation (a manager, or the delegate stepping down). */
export function revokeDelegate(coop: string, userID: string): Promise<void> {
  return request<void>(`${ref(coop)}/delegates/${encodeURIComponent(userID)}`, { method: 'DELETE' });
}

/** reviewQueue fetches a page of the verification queue, oldest first. */
export function reviewQueue(status: CooperativeStatus, cursor?: string, signal?: AbortSignal): Promise<ReviewPage> {
  return get<ReviewPage>(`${base}/review${query({ status, cursor, limit: 20 })}`, signal);
}

/** verifyCooperative verifies a pending or rejected cooperative. */
export function verifyCooperative(coop: string): Promise<Cooperative> {
  return post<Cooperative>(`${ref(coop)}/verify`);
}

/** rejectCooperative rejects a cooperative with a reason shown to its manager. */
export function rejectCooperative(coop: string, reason: string): Promise<Cooperative> {
  return post<Cooperative>(`${ref(coop)}/reject`, { reason });
}
