// Invitations (/api/v1/cooperatives/{coop}/invitations, /api/v1/me/invitations):
// a cooperative's managers invite members and delegates by e-mail or phone;
// the person invited accepts or declines. The managers' answers name nobody.
import { get, post, request } from './client.ts';
import type { components, operations } from './schema';

/** CooperativeInvitation is an invitation as the cooperative's managers see it. */
export type CooperativeInvitation = components['schemas']['CooperativeInvitation'];
/** ReceivedInvitation is an invitation as the person invited sees it. */
export type ReceivedInvitation = components['schemas']['ReceivedInvitation'];

const ref = (coop: string) => `/cooperatives/${encodeURIComponent(coop)}`;

/** inviteMember invites a person, by e-mail address or phone number, to join with role. */
export function inviteMember(coop: string, login: string, role: 'coop_staff' | 'coop_manager'): Promise<CooperativeInvitation> {
  return post<CooperativeInvitation>(`${ref(coop)}/members`, { login, role });
}

/** inviteDelegate invites a trade staff member to manage the cooperative's listings. */
export function inviteDelegate(coop: string, login: string): Promise<CooperativeInvitation> {
  return post<CooperativeInvitation>(`${ref(coop)}/delegates`, { login });
}

/** listInvitations lists a cooperative's unanswered invitations, newest first (managers). */
export async function listInvitations(coop: string, signal?: AbortSignal): Promise<CooperativeInvitation[]> {
  const body = await get<operations['listCooperativeInvitations']['responses'][200]>(`${ref(coop)}/invitations`, signal);
  return body.items;
}

/** cancelInvitation withdraws an unanswered invitation (managers). */
export function cancelInvitation(coop: string, id: string): Promise<void> {
  return request<void>(`${ref(coop)}/invitations/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** myInvitations lists the unanswered invitations to the signed-in user. */
export async function myInvitations(signal?: AbortSignal): Promise<ReceivedInvitation[]> {
  const body = await get<operations['listMyInvitations']['responses'][200]>('/me/invitations', signal);
  return body.items;
}

/** answerInvitation accepts or declines an invitation to the signed-in user. */
export function answerInvitation(id: string, accept: boolean): Promise<void> {
  return post<void>(`/me/invitations/${encodeURIComponent(id)}/${accept ? 'accept' : 'decline'}`);
}

/** leaveCooperative ends the signed-in user's own membership; the last manager stays. */
export function leaveCooperative(coop: string, userID: string): Promise<void> {
  return request<void>(`${ref(coop)}/members/${encodeURIComponent(userID)}`, { method: 'DELETE' });
}
