// Pictures: a product's images put in order or removed
// (/api/v1/products/{product}/images/{image}) and a cooperative's logo and
// cover (/api/v1/cooperatives/{coop}/logo, /cover).
import type { Product } from './catalog.ts';
import { request } from './client.ts';
import type { Cooperative } from './cooperatives.ts';

const imageRef = (product: string, image: string) =>
  `/products/${encodeURIComponent(product)}/images/${encodeURIComponent(image)}`;

/** moveImage puts an image at position (0 is the first, the one lists show); the others shift. */
export function moveImage(product: string, image: string, position: number): Promise<Product> {
  return request<Product>(imageRef(product, image), { method: 'PATCH', body: { position } });
}

/** deleteImage removes an image and its files. */
export function deleteImage(product: string, image: string): Promise<Product> {
  return request<Product>(imageRef(product, image), { method: 'DELETE' });
}

/** CoopImageKind names a cooperative's picture. */
export type CoopImageKind = 'logo' | 'cover';

/** uploadCoopImage makes file the cooperative's logo or cover; the answer is the cooperative. */
export function uploadCoopImage(coop: string, kind: CoopImageKind, file: File): Promise<Cooperative> {
  const form = new FormData();
  form.set('file', file);
  return request<Cooperative>(`/cooperatives/${encodeURIComponent(coop)}/${kind}`, { method: 'PUT', body: form });
}

/** removeCoopImage takes the cooperative's logo or cover away. */
export function removeCoopImage(coop: string, kind: CoopImageKind): Promise<Cooperative> {
  return request<Cooperative>(`/cooperatives/${encodeURIComponent(coop)}/${kind}`, { method: 'DELETE' });
}
