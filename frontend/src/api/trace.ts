// Traceability (/api/v1/cooperatives/{coop}/batches, /api/v1/batches/{id}/…):
// batches, their hash-chained events, photos, QR codes and the batch of
// each packed order line.
import { get, post, query, request } from './client.ts';
import type { components, operations } from './schema';

export type Batch = components['schemas']['Batch'];
export type NewBatch = components['schemas']['NewBatch'];
export type TracePlace = components['schemas']['TracePlace'];
export type TraceInput = components['schemas']['TraceInput'];
export type TraceCertification = components['schemas']['TraceCertification'];
export type TraceEvent = components['schemas']['TraceEvent'];
export type NewTraceEvent = components['schemas']['NewTraceEvent'];
export type TraceKind = TraceEvent['kind'];
export type Verification = components['schemas']['Verification'];
export type BatchPage = operations['listBatches']['responses'][200];
export type BatchDetail = operations['getBatch']['responses'][200];
export type LineBatches = operations['getSubOrderBatches']['responses'][200];
export type LineBatch = LineBatches['lines'][number];
export type LineTrace = operations['orderLineTraces']['responses'][200]['items'][number];
export interface TracePhoto {
  key: string;
  url: string;
}

/** traceKinds lists the kinds of events in the order things usually happen. */
export const traceKinds: readonly TraceKind[] = [
  'planted',
  'treated',
  'harvested',
  'processed',
  'packed',
  'inspected',
  'shipped',
  'received',
];

const coopPath = (coop: string) => `/cooperatives/${encodeURIComponent(coop)}`;

/** listBatches fetches a page of the cooperative's batches (of one product, if given), newest first. */
export function listBatches(coop: string, cursor?: string, signal?: AbortSignal, product?: string): Promise<BatchPage> {
  return get<BatchPage>(`${coopPath(coop)}/batches${query({ cursor, limit: 20, product })}`, signal);
}

/** createBatch starts a batch of one of the cooperative's products. */
export function createBatch(coop: string, input: NewBatch): Promise<Batch> {
  return post<Batch>(`${coopPath(coop)}/batches`, input);
}

/** getBatch fetches a batch with its events, private details included. */
export function getBatch(coop: string, id: string, signal?: AbortSignal): Promise<BatchDetail> {
  return get<BatchDetail>(`${coopPath(coop)}/batches/${encodeURIComponent(id)}`, signal);
}

/** addTraceEvent appends an event to a batch. */
export function addTraceEvent(coop: string, id: string, input: NewTraceEvent): Promise<TraceEvent> {
  return post<TraceEvent>(`${coopPath(coop)}/batches/${encodeURIComponent(id)}/events`, input);
}

/** uploadTracePhoto stores a photo from the camera or the gallery. */
export function uploadTracePhoto(coop: string, file: File): Promise<TracePhoto> {
  const form = new FormData();
  form.append('file', file);
  return request<TracePhoto>(`${coopPath(coop)}/trace-photos`, { method: 'POST', body: form });
}

/** verifyBatch recomputes the batch's hash chain on the server. */
export function verifyBatch(id: string, signal?: AbortSignal): Promise<Verification> {
  return get<Verification>(`/batches/${encodeURIComponent(id)}/verify`, signal);
}

/** qrURL is the address of the batch's QR code image. */
export function qrURL(id: string, format: 'svg' | 'png'): string {
  return `/api/v1/batches/${encodeURIComponent(id)}/qr.${format}`;
}

/** epcisURL is the address of the batch's EPCIS 2.0 export. */
export function epcisURL(id: string): string {
  return `/api/v1/batches/${encodeURIComponent(id)}/epcis`;
}

/** getLineBatches fetches a sub-order's lines and the batch each was packed from. */
export function getLineBatches(coop: string, subOrder: string, signal?: AbortSignal): Promise<LineBatches> {
  return get<LineBatches>(`${coopPath(coop)}/sub-orders/${encodeURIComponent(subOrder)}/batches`, signal);
}

/** setLineBatches records the batch of the given lines (null clears it). */
export function setLineBatches(
  coop: string,
  subOrder: string,
  lines: { line_id: string; batch_id: string | null }[],
): Promise<LineBatches> {
  return request<LineBatches>(`${coopPath(coop)}/sub-orders/${encodeURIComponent(subOrder)}/batches`, {
    method: 'PUT',
    body: { lines },
  });
}

/** getLineTraces fetches the trace link of each given order line that has a batch. */
export async function getLineTraces(lineIds: string[], signal?: AbortSignal): Promise<LineTrace[]> {
  if (lineIds.length === 0) return [];
  const page = await get<{ items: LineTrace[] }>(`/trace/order-lines${query({ ids: lineIds.join(',') })}`, signal);
  return page.items;
}

/** tracePath is the path part of a trace link, for links inside the site. */
export function tracePath(traceURL: string): string {
  try {
    return new URL(traceURL).pathname;
  } catch {
    return traceURL;
  }
}
