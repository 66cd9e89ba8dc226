// Formatting of values shown to the user.

const vnd = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' });

/**
 * formatVND writes an amount of đồng the Vietnamese way: 450000 → "450.000 ₫".
 * Amounts are whole đồng (VND has no minor unit); bigint keeps int64 amounts
 * from the API exact beyond Number.MAX_SAFE_INTEGER.
 */
export function formatVND(amount: number | bigint): string {
  return vnd.format(amount);
}

/**
 * formatWait says how long to wait, in words: "30 giây", "2 phút"
 * ("30 seconds", "2 minutes"), rounding up to whole minutes from a minute on.
 */
export function formatWait(seconds: number, language: string): string {
  const minutes = Math.ceil(seconds / 60);
  const [value, unit] = seconds < 60 ? [Math.max(1, Math.ceil(seconds)), 'second'] : [minutes, 'minute'];
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/** formatPhone writes a +84 mobile number the way Vietnamese people read it: 0912 345 678. */
export function formatPhone(phone: string): string {
  const m = /^\+84(\d{3})(\d{3})(\d{3})$/.exec(phone);
  return m ? `0${m[1]} ${m[2]} ${m[3]}` : phone;
}

/** formatDate writes a date in the interface language (22/11/2026, 11/22/2026). */
export function formatDate(iso: string, language: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(language, { dateStyle: 'long' }).format(date);
}

/**
 * parseWhole reads a whole number typed by a user, an amount of đồng or a
 * quantity: plain digits, with the thousands grouped by dots, commas or
 * spaces if they like ("150.000", "150 000 ₫"). Empty is undefined; text
 * that is no whole number is NaN. A minus sign is kept, for the server to
 * refuse with its own explanation.
 */
export function parseWhole(text: string): number | undefined {
  const cleaned = text.replace(/[\s.,₫]/gu, '').replace(/(đồng|đ|vnd)$/iu, '');
  if (cleaned === '') return undefined;
  return /^-?\d{1,16}$/.test(cleaned) ? Number(cleaned) : Number.NaN;
}

/** formatDayMonthYear writes a calendar date (2027-12-31) as Vietnamese forms and papers do: 31/12/2027. */
export function formatDayMonthYear(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : isoDate;
}

/**
 * parseDayMonthYear reads a calendar date typed day first, as on a
 * Vietnamese certificate ("31/12/2027", "31-12-2027", "31.12.2027"), or
 * already as 2027-12-31, and gives it as 2027-12-31. Empty is undefined; text
 * that is no date of the calendar (31/02/2027) is null.
 */
export function parseDayMonthYear(text: string): string | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  const [year, month, day] = dmy ? [dmy[3], dmy[2], dmy[1]] : ymd ? [ymd[1], ymd[2], ymd[3]] : [];
  if (!year || !month || !day) return null;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  // Date rolls 31/02 over into March; a real date reads back the same.
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    return null;
  }
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** formatDateTime writes a moment in the interface language, time and date: 08:15 06/12/2026. */
export function formatDateTime(iso: string, language: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : new Intl.DateTimeFormat(language, {
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }).format(date);
}

const whole = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });

/** formatWhole writes a whole number with its thousands grouped the Vietnamese way, for a field to edit: 150000 → "150.000". */
export function formatWhole(n: number): string {
  return whole.format(n);
}

/** isoDay writes a day of the browser's calendar as the API's dates are written: 2026-05-31. */
export function isoDay(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}
