import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { TextField } from './TextField';

interface NewPasswordFieldsProps {
  /** idPrefix keeps the inputs' ids unique on a page. */
  idPrefix: string;
  value: string;
  confirm: string;
  onChange: (value: string) => void;
  onConfirmChange: (value: string) => void;
  error?: string | undefined;
  confirmError?: string | undefined;
}

/** NewPasswordFields is the "new password" field and its confirmation. */
export function NewPasswordFields(props: NewPasswordFieldsProps) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        id={`${props.idPrefix}-new-password`}
        name="new_password"
        type="password"
        label={t('password.new')}
        hint={t('register.passwordHint')}
        value={props.value}
        onChange={props.onChange}
        autoComplete="new-password"
        required
        error={props.error}
      />
      <TextField
        id={`${props.idPrefix}-confirm`}
        name="confirm"
        type="password"
        label={t('password.confirm')}
        value={props.confirm}
        onChange={props.onConfirmChange}
        autoComplete="new-password"
        required
        error={props.confirmError}
      />
    </>
  );
}

/**
 * confirmationErrors is what a form shows, before sending, when the
 * confirmation differs from the new password; undefined when they match.
 */
export function confirmationErrors(value: string, confirm: string, t: TFunction) {
  if (value === confirm) return undefined;
  return { fields: { confirm: t('password.mismatch') }, message: t('password.fix') };
}
