// What the product forms read from their inputs, in the shape the API takes.
import type { TFunction } from 'i18next';
import type { FormEvent } from 'react';
import type { OCOPInput, PriceTier, Product, Variant } from '../../api/catalog.ts';
import type { Submit } from '../../components/form/useSubmit.ts';
import { formatDayMonthYear, parseDayMonthYear } from '../../lib/format.ts';

/** splitList reads a list typed on one line, separated by commas or semicolons. */
export function splitList(text: string): string[] {
  return text
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * knownCertifications are the quality certifications the catalog
 * recognises, as it writes them (catalog.Certifications on the server); a
 * product's certifications are picked from them.
 */
export const knownCertifications = [
  'VietGAP', 'GlobalGAP', 'Hữu cơ', 'HACCP', 'ISO 22000', 'ISO 9001', 'FSSC 22000', 'BRCGS',
  'Halal', 'Fairtrade', 'Rainforest Alliance', 'USDA Organic', 'EU Organic', 'JAS',
] as const;

/**
 * parseAmount reads a whole amount of đồng or a quantity as Vietnamese people
 * type it: plain digits ("150000"), thousands grouped by dots or spaces
 * ("150.000", "1 500 000"), with the currency after it if they like
 * ("150.000 ₫", "150.000đ", "150000 VND"). Empty is undefined. Anything
 * else is NaN: a comma is the Vietnamese decimal mark ("150,5" is a
 * hundred and fifty and a half, not a whole amount), and dots that do not
 * group thousands ("1.50", "15.0000") are a typing slip, not a number to guess
 * at. A minus sign is kept, for the server to refuse with its own words.
 */
export function parseAmount(text: string): number | undefined {
  const trimmed = text
    .trim()
    .replace(/\s*(₫|đồng|đ|vnđ|vnd)$/iu, '')
    .trim();
  if (trimmed === '') return undefined;
  const m = /^(-?)(\d{1,3}(?:\.\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)$/u.exec(trimmed);
  if (!m || !m[2]) return Number.NaN;
  const digits = m[2].replace(/\D/gu, '');
  if (digits.length > 16) return Number.NaN;
  return Number(`${m[1]}${digits}`);
}

/** TierRow is one wholesale price tier as typed; key keeps its inputs apart while rows come and go. */
export interface TierRow {
  key: number;
  minQty: string;
  price: string;
}

/** VariantValues are a packaging's inputs; sku and stock only count for a new one. */
export interface VariantValues {
  sku: string;
  unit: string;
  price: string;
  stock: string;
  wholesaleMin: string;
  tiers: TierRow[];
}

let nextTierKey = 1;

/** tierRow is a new tier row, empty or holding a tier. */
export function tierRow(tier?: PriceTier): TierRow {
  nextTierKey += 1;
  return {
    key: nextTierKey,
    minQty: tier ? String(tier.min_qty) : '',
    price: tier ? String(tier.unit_price_vnd) : '',
  };
}

/** variantValues fills the inputs from a packaging, or leaves them empty for a new one. */
export function variantValues(v?: Variant): VariantValues {
  return {
    sku: v?.sku ?? '',
    unit: v?.unit ?? '',
    price: v ? String(v.price_vnd) : '',
    stock: v ? String(v.stock) : '',
    wholesaleMin: v && v.wholesale_min_qty > 0 ? String(v.wholesale_min_qty) : '',
    tiers: v?.price_tiers.map(tierRow) ?? [],
  };
}

/** tierField names the form field of a tier row's quantity or price. */
export function tierField(key: number, part: 'qty' | 'price'): string {
  return `tier-${key}-${part}`;
}

/** ReadVariant is what readVariant found: the body to send, or the fields to fix first. */
export interface ReadVariant {
  body: {
    unit: string;
    price_vnd: number;
    wholesale_min_qty: number;
    price_tiers: PriceTier[];
  };
  /** stock is a new packaging's first stock, when typed. */
  stock: number | undefined;
  /** errors are the inputs that are not numbers, by form field. */
  errors: Record<string, string>;
  /** fieldMap names the form field of each server field, tiers included. */
  fieldMap: Record<string, string>;
}

/**
 * readVariant turns a packaging's inputs into the API's fields. Tier rows
 * left entirely empty are dropped; the server's "price_tiers[i]" then counts
 * only the rows sent, which fieldMap follows. Numbers the server checks
 * itself (a negative price, tiers out of order) are sent as typed, so its
 * explanation is the one shown.
 */
export function readVariant(values: VariantValues, t: TFunction, tm: TFunction<'media'>): ReadVariant {
  const errors: Record<string, string> = {};
  const fieldMap: Record<string, string> = {
    sku: 'sku',
    unit: 'unit',
    price_vnd: 'price',
    stock: 'stock',
    wholesale_min_qty: 'wholesaleMin',
    price_tiers: 'wholesaleMin',
  };
  const whole = (field: string, text: string, required: boolean): number => {
    const n = parseAmount(text);
    if (n === undefined) {
      if (required) errors[field] = t('productEditor.required');
      return 0;
    }
    if (Number.isNaN(n)) {
      errors[field] = text.includes(',') ? tm('amount.notWhole') : t('productEditor.notANumber');
      return 0;
    }
    return n;
  };
  const price = whole('price', values.price, true);
  const stock = parseAmount(values.stock) === undefined ? undefined : whole('stock', values.stock, false);
  const wholesaleMin = whole('wholesaleMin', values.wholesaleMin, false);
  const tiers: PriceTier[] = [];
  for (const row of values.tiers) {
    if (row.minQty.trim() === '' && row.price.trim() === '') continue;
    const qtyField = tierField(row.key, 'qty');
    const priceField = tierField(row.key, 'price');
    fieldMap[`price_tiers[${tiers.length}].min_qty`] = qtyField;
    fieldMap[`price_tiers[${tiers.length}].unit_price_vnd`] = priceField;
    tiers.push({ min_qty: whole(qtyField, row.minQty, true), unit_price_vnd: whole(priceField, row.price, true) });
  }
  return {
    body: {
      unit: values.unit.trim(),
      price_vnd: price,
      wholesale_min_qty: wholesaleMin,
      price_tiers: tiers,
    },
    stock,
    errors,
    fieldMap,
  };
}

/** OcopField names an input of the OCOP rating. */
export type OcopField = 'ocopStars' | 'ocopCertificate' | 'ocopExpires';

/** OcopValues are the OCOP rating's inputs: stars "0" for none, the expiry typed day first. */
export type OcopValues = Record<OcopField, string>;

/** ocopFieldMap names the form field of each server field of the rating. */
export const ocopFieldMap: Record<string, OcopField> = {
  'ocop.stars': 'ocopStars',
  'ocop.certificate': 'ocopCertificate',
  'ocop.expires_on': 'ocopExpires',
};

/** ocopValues fills the inputs from a product's rating, or says "none". */
export function ocopValues(ocop?: Product['ocop']): OcopValues {
  return {
    ocopStars: ocop ? String(ocop.stars) : '0',
    ocopCertificate: ocop?.certificate ?? '',
    ocopExpires: ocop?.expires_on ? formatDayMonthYear(ocop.expires_on) : '',
  };
}

/** ReadOcop is what readOcop found: the rating to send, or the inputs to fix first. */
export interface ReadOcop {
  input: OCOPInput;
  errors: Partial<Record<OcopField, string>>;
}

/**
 * readOcop turns the rating's inputs into the API's: stars 0 removes the
 * rating. An expiry that is no date is caught here, as the server only knows
 * the 2027-12-31 form; a missing certificate is left for the server to explain.
 */
export function readOcop(values: OcopValues, t: TFunction): ReadOcop {
  const stars = Number(values.ocopStars);
  if (stars === 0) return { input: { stars: 0 }, errors: {} };
  const expires = parseDayMonthYear(values.ocopExpires);
  const errors: Partial<Record<OcopField, string>> = {};
  if (expires === undefined) errors.ocopExpires = t('productEditor.required');
  if (expires === null) errors.ocopExpires = t('productEditor.notADate');
  return {
    input: { stars: stars as OCOPInput['stars'], certificate: values.ocopCertificate.trim(), expires_on: expires ?? '' },
    errors,
  };
}

/**
 * checkThenSubmit shows the inputs the browser can tell are wrong (not a
 * number, not a date) before anything is sent; otherwise it lets the form's
 * submit go to the server.
 */
export function checkThenSubmit<F extends string>(
  event: FormEvent<HTMLFormElement>,
  errors: Partial<Record<F, string>>,
  submit: Submit<F>,
  message: string,
) {
  if (Object.keys(errors).length === 0) {
    submit.onSubmit(event);
    return;
  }
  event.preventDefault();
  submit.fail({ fields: errors, message });
}
