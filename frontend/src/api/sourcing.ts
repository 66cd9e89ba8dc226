// Supply-demand matching (/api/v1/sourcing/*): wholesalers' requests for
// quotes, cooperatives' offers, matches with their score breakdown,
// combinations of several cooperatives, quotes and their acceptance.
import { get, post, query, request } from './client.ts';
import type { components, operations } from './schema';

export type SourcingRequest = components['schemas']['SourcingRequest'];
export type NewSourcingRequest = components['schemas']['SourcingNewRequest'];
export type SourcingOffer = components['schemas']['SourcingOffer'];
export type NewSourcingOffer = components['schemas']['SourcingNewOffer'];
export type SourcingMatches = components['schemas']['SourcingMatches'];
export type SourcingMatch = SourcingMatches['matches'][number];
export type SourcingCombination = SourcingMatches['combinations'][number];
export type SourcingTerm = components['schemas']['SourcingTerm'];
export type SourcingQuote = components['schemas']['SourcingQuote'];
export type NewSourcingQuote = components['schemas']['SourcingNewQuote'];
export type SourcingUnit = components['schemas']['SourcingUnit'];
export type InboxItem = operations['sourcingInbox']['responses'][200]['items'][number];
export type AcceptQuotes = operations['acceptSourcingQuotes']['requestBody'];
export type Accepted = operations['acceptSourcingQuotes']['responses'][201];

const perPage = 20;

/** listUnits fetches the units requests and offers may use. */
export async function listUnits(signal?: AbortSignal): Promise<SourcingUnit[]> {
  return (await get<{ units: SourcingUnit[] }>('/sourcing/units', signal)).units;
}

/** listBoard fetches a page of live requests open to every cooperative. */
export async function listBoard(page: number, signal?: AbortSignal): Promise<SourcingRequest[]> {
  return (await get<{ items: SourcingRequest[] }>(`/sourcing/board${query({ page, per_page: perPage })}`, signal)).items;
}

/** listMyRequests fetches a page of the signed-in buyer's requests. */
export async function listMyRequests(page: number, signal?: AbortSignal): Promise<SourcingRequest[]> {
  return (await get<{ items: SourcingRequest[] }>(`/sourcing/requests${query({ page, per_page: perPage })}`, signal)).items;
}

/** createRequest posts a request for quotes. */
export function createRequest(input: NewSourcingRequest): Promise<SourcingRequest> {
  return post<SourcingRequest>('/sourcing/requests', input);
}

/** getRequest fetches one request. */
export function getRequest(id: string, signal?: AbortSignal): Promise<SourcingRequest> {
  return get<SourcingRequest>(`/sourcing/requests/${encodeURIComponent(id)}`, signal);
}

/** getMatches fetches the ranked offers and combinations of a request (its buyer). */
export function getMatches(id: string, signal?: AbortSignal): Promise<SourcingMatches> {
  return get<SourcingMatches>(`/sourcing/requests/${encodeURIComponent(id)}/matches`, signal);
}

/** closeRequest ends a live request. */
export function closeRequest(id: string): Promise<SourcingRequest> {
  return post<SourcingRequest>(`/sourcing/requests/${encodeURIComponent(id)}/close`);
}

/** listQuotes fetches a request's quotes (all for its buyer, a cooperative's own for its members). */
export async function listQuotes(id: string, signal?: AbortSignal): Promise<SourcingQuote[]> {
  return (await get<{ items: SourcingQuote[] }>(`/sourcing/requests/${encodeURIComponent(id)}/quotes`, signal)).items;
}

/** submitQuote sends or replaces a cooperative's quote. */
export function submitQuote(id: string, input: NewSourcingQuote): Promise<SourcingQuote> {
  return post<SourcingQuote>(`/sourcing/requests/${encodeURIComponent(id)}/quotes`, input);
}

/** acceptQuotes turns quotes into one order; the key makes a retry safe. */
export function acceptQuotes(id: string, input: AcceptQuotes, idempotencyKey: string): Promise<Accepted> {
  return request<Accepted>(`/sourcing/requests/${encodeURIComponent(id)}/accept`, {
    method: 'POST',
    body: input,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

/** listOffers fetches a page of active offers, of one cooperative if given. */
export async function listOffers(page: number, cooperative?: string, signal?: AbortSignal): Promise<SourcingOffer[]> {
  return (await get<{ items: SourcingOffer[] }>(`/sourcing/offers${query({ page, per_page: perPage, cooperative })}`, signal)).items;
}

/** listCoopOffers fetches a page of a cooperative's own offers, withdrawn ones too (members). */
export async function listCoopOffers(coop: string, page: number, signal?: AbortSignal): Promise<SourcingOffer[]> {
  return (
    await get<{ items: SourcingOffer[] }>(
      `/sourcing/cooperatives/${encodeURIComponent(coop)}/offers${query({ page, per_page: perPage })}`,
      signal,
    )
  ).items;
}

/** createOffer posts what a cooperative can supply. */
export function createOffer(input: NewSourcingOffer): Promise<SourcingOffer> {
  return post<SourcingOffer>('/sourcing/offers', input);
}

/** withdrawOffer takes an offer off the market. */
export function withdrawOffer(coop: string, id: string): Promise<void> {
  return post<void>(`/sourcing/cooperatives/${encodeURIComponent(coop)}/offers/${encodeURIComponent(id)}/withdraw`);
}

/** listInbox fetches a page of the requests a cooperative was matched with or invited to. */
export async function listInbox(coop: string, page: number, signal?: AbortSignal): Promise<InboxItem[]> {
  return (
    await get<{ items: InboxItem[] }>(
      `/sourcing/cooperatives/${encodeURIComponent(coop)}/inbox${query({ page, per_page: perPage })}`,
      signal,
    )
  ).items;
}

/** sourcingPageSize is how many items a page of these lists holds. */
export const sourcingPageSize = perPage;
