// Turning a failed request into what a form shows: each field's own error
// next to it, and one message for the rest.
import { ApiError } from '../../api/client.ts';
import type { TFunction } from 'i18next';
import { formatWait } from '../../lib/format.ts';
import { currentLanguage } from '../../i18n/index.ts';

/** FormErrors is what a form shows after a failed submit. */
export interface FormErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  message?: string;
}

/**
 * formErrors maps a problem's `errors` to the form's fields (fieldMap names
 * the form field of each server field) and describes everything else: the
 * problem's `detail`, a wait time for 429, or a network failure. Server
 * fields the form has no place for join the message.
 */
export function formErrors<F extends string>(
  error: unknown,
  fieldMap: Record<string, F>,
  t: TFunction,
): FormErrors<F> {
  const fields: Partial<Record<F, string>> = {};
  const unplaced: string[] = [];
  if (error instanceof ApiError) {
    for (const { field, message } of error.fieldErrors) {
      const target = fieldMap[field];
      if (target && !fields[target]) fields[target] = sentence(message);
      else if (!target) unplaced.push(sentence(message));
    }
  }
  const message = [problemMessage(error, t), ...unplaced].filter(Boolean).join(' ');
  return message ? { fields, message } : { fields };
}

/** problemMessage is the explanation of a failed request for the user. */
export function problemMessage(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t('errors.unexpected');
  if (error.isNetworkError) return t('errors.network');
  const detail = error.detail ? sentence(error.detail) : '';
  if (error.status === 429) {
    const wait =
      error.retryAfterSeconds === undefined
        ? t('errors.tryLater')
        : t('errors.retryAfter', { wait: formatWait(error.retryAfterSeconds, currentLanguage()) });
    return [detail, wait].filter(Boolean).join(' ');
  }
  return detail || t('errors.unexpected');
}

// sentence capitalises the server's message (field messages come in lower case).
function sentence(text: string): string {
  const trimmed = text.trim();
  return trimmed.charAt(0).toLocaleUpperCase('vi') + trimmed.slice(1);
}
