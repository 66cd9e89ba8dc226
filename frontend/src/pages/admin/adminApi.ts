// The administrators' API calls: accounts and roles, the audit log, search
// synonyms and every cooperative. Types come from the generated schema.
import { get, post, query, request } from '../../api/client.ts';
import type { components, operations } from '../../api/schema';

export type AdminUser = components['schemas']['User'];
export type GlobalRole = AdminUser['roles'][number];
export type AuditEntry = components['schemas']['AuditEntry'];
export type SynonymGroup = components['schemas']['SynonymGroup'];
export type AdminCooperative = components['schemas']['Cooperative'];
export type CooperativeStatus = components['schemas']['CooperativeStatus'];
export type ReviewCheck = components['schemas']['CooperativeReviewCheck'];
export type Duplicate = components['schemas']['CooperativeDuplicate'];

type UsersPage = operations['listUsers']['responses'][200];
type AuditPage = operations['auditLog']['responses'][200];
type CoopsPage = operations['adminListCooperatives']['responses'][200];

/** globalRoles are the roles an administrator grants directly (cooperative roles come with memberships). */
export const globalRoles: GlobalRole[] = ['consumer', 'wholesaler', 'trade_staff', 'admin'];

/** auditActions are the actions the audit log records, for its filter. */
export const auditActions = [
  'user.create',
  'role.grant',
  'role.revoke',
  'membership.add',
  'membership.remove',
  'password.change',
  'password.reset_request',
  'password.reset',
  'cooperative.register',
  'cooperative.update',
  'cooperative.verify',
  'cooperative.reject',
  'delegation.grant',
  'delegation.revoke',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** roleNames are the roles the interface names (the audit log's details mention them). */
export const roleNames = ['consumer', 'wholesaler', 'trade_staff', 'admin', 'coop_manager', 'coop_staff', 'coop_delegate'] as const;
export type RoleName = (typeof roleNames)[number];

export const pageSize = 20;

/** listUsers finds accounts by part of an e-mail address, phone number or name, newest first. */
export function listUsers(filter: { q: string; role: string }, cursor?: string, signal?: AbortSignal): Promise<UsersPage> {
  return get<UsersPage>(`/admin/users${query({ q: filter.q || undefined, role: filter.role || undefined, cursor, limit: pageSize })}`, signal);
}

/** getUser fetches one account. */
export function getUser(id: string, signal?: AbortSignal): Promise<AdminUser> {
  return get<AdminUser>(`/admin/users/${encodeURIComponent(id)}`, signal);
}

/** grantRole gives a global role; trade staff may be tied to a province. */
export function grantRole(id: string, role: GlobalRole, province?: string): Promise<AdminUser> {
  return request<AdminUser>(`/admin/users/${encodeURIComponent(id)}/roles/${role}`, {
    method: 'PUT',
    body: province ? { province } : {},
  });
}

/** revokeRole takes a global role away; the last administrator keeps theirs. */
export function revokeRole(id: string, role: GlobalRole): Promise<AdminUser> {
  return request<AdminUser>(`/admin/users/${encodeURIComponent(id)}/roles/${role}`, { method: 'DELETE' });
}

/** auditLog fetches a page of the audit log, newest first. */
export function auditLog(filter: { action: string; subject: string }, cursor?: string, signal?: AbortSignal): Promise<AuditPage> {
  return get<AuditPage>(
    `/admin/audit-log${query({ action: filter.action || undefined, subject_id: filter.subject || undefined, cursor, limit: pageSize })}`,
    signal,
  );
}

/** listSynonyms fetches every synonym group. */
export async function listSynonyms(signal?: AbortSignal): Promise<SynonymGroup[]> {
  const body = await get<operations['listSynonyms']['responses'][200]>('/search/synonyms', signal);
  return body.items;
}

/** createSynonyms adds a group of words searched as one. */
export function createSynonyms(terms: string[]): Promise<SynonymGroup> {
  return post<SynonymGroup>('/search/synonyms', { terms });
}

/** updateSynonyms replaces the words of a group. */
export function updateSynonyms(id: number, terms: string[]): Promise<SynonymGroup> {
  return request<SynonymGroup>(`/search/synonyms/${id}`, { method: 'PUT', body: { terms } });
}

/** deleteSynonyms removes a group. */
export function deleteSynonyms(id: number): Promise<void> {
  return request<void>(`/search/synonyms/${id}`, { method: 'DELETE' });
}

/** listCooperatives fetches a page of every cooperative, newest first. */
export function listCooperatives(
  filter: { status: string; province: string; q: string },
  cursor?: string,
  signal?: AbortSignal,
): Promise<CoopsPage> {
  return get<CoopsPage>(
    `/admin/cooperatives${query({
      status: filter.status || undefined,
      province: filter.province || undefined,
      q: filter.q || undefined,
      cursor,
      limit: pageSize,
    })}`,
    signal,
  );
}

/** reviewCheck fetches who applied for a cooperative and its possible duplicates. */
export function reviewCheck(coop: string, signal?: AbortSignal): Promise<ReviewCheck> {
  return get<ReviewCheck>(`/cooperatives/${encodeURIComponent(coop)}/review-check`, signal);
}
