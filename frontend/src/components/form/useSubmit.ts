import { useCallback, useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { formErrors, type FormErrors } from './formErrors.ts';

/** Submit is a form's sending state: busy, the errors of the last attempt, and the handler. */
export interface Submit<F extends string> {
  busy: boolean;
  errors: FormErrors<F>;
  /** formRef goes on the <form>: after a failure the first invalid field gets the focus. */
  formRef: RefObject<HTMLFormElement | null>;
  /** onSubmit runs action, catching its failure into errors. */
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  /** fail shows errors found before sending (a mismatched confirmation, say). */
  fail: (errors: FormErrors<F>) => void;
}

/**
 * useSubmit wires a form to an API call: fieldMap names the form field of
 * each server field in a problem's `errors`.
 */
export function useSubmit<F extends string>(
  action: () => Promise<void>,
  fieldMap: Record<string, F>,
): Submit<F> {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<F>>({ fields: {} });
  const [failures, setFailures] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (failures === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [failures]);

  const fail = useCallback((next: FormErrors<F>) => {
    setErrors(next);
    setFailures((n) => n + 1);
  }, []);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors({ fields: {} });
    action().then(
      () => setBusy(false),
      (error: unknown) => {
        setBusy(false);
        fail(formErrors(error, fieldMap, t));
      },
    );
  };

  return { busy, errors, formRef, onSubmit, fail };
}
