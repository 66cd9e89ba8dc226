import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getShipping, setShipping, type ShippingRules } from '../../api/orders.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { parseWhole } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';

type Field = 'in_province_vnd' | 'other_province_vnd' | 'free_over_vnd';
const fieldMap: Record<string, Field> = {
  in_province_vnd: 'in_province_vnd',
  other_province_vnd: 'other_province_vnd',
  free_over_vnd: 'free_over_vnd',
};

/** ShippingFeesPanel sets what the cooperative charges to deliver: inside its province, elsewhere, and from what amount nothing. */
export function ShippingFeesPanel({ coop }: { coop: string }) {
  const { t } = useTranslation();
  const rules = useLoad(`shipping:${coop}`, (signal) => getShipping(coop, signal));
  return (
    <section className="dashboard__panel" aria-labelledby="shipping-title">
      <h2 id="shipping-title" className="dashboard__heading">
        {t('shippingFees.title')}
      </h2>
      <p className="dashboard__muted">{t('shippingFees.intro')}</p>
      {rules.status === 'loading' && <LoadingMessage>{t('dashboard.loading')}</LoadingMessage>}
      {rules.status === 'error' && <ErrorMessage title={t('shippingFees.error')} error={rules.error} onRetry={rules.retry} />}
      {rules.status === 'ready' && <ShippingForm coop={coop} rules={rules.data} onSaved={rules.replace} />}
    </section>
  );
}

const amount = (n: number | null) => (n === null ? '' : String(n));

function ShippingForm({ coop, rules, onSaved }: { coop: string; rules: ShippingRules; onSaved: (r: ShippingRules) => void }) {
  const { t } = useTranslation();
  const [inProvince, setInProvince] = useState(amount(rules.in_province_vnd));
  const [other, setOther] = useState(amount(rules.other_province_vnd));
  const [freeOver, setFreeOver] = useState(amount(rules.free_over_vnd));
  const [saved, setSaved] = useState(false);

  const submit = useSubmit(async () => {
    setSaved(false);
    const values = { in_province_vnd: parseWhole(inProvince), other_province_vnd: parseWhole(other), free_over_vnd: parseWhole(freeOver) };
    const fields: Partial<Record<Field, string>> = {};
    for (const [f, v] of Object.entries(values) as [Field, number | undefined][]) {
      if (v === undefined && f !== 'free_over_vnd') fields[f] = t('productEditor.required');
      else if (v !== undefined && Number.isNaN(v)) fields[f] = t('productEditor.notANumber');
    }
    if (Object.keys(fields).length > 0) {
      submit.fail({ fields, message: t('productEditor.fix') });
      return;
    }
    const next = await setShipping(coop, {
      in_province_vnd: values.in_province_vnd ?? 0,
      other_province_vnd: values.other_province_vnd ?? 0,
      free_over_vnd: values.free_over_vnd ?? null,
    });
    onSaved(next);
    setSaved(true);
  }, fieldMap);
  const err = submit.errors.fields;

  return (
    <form className="form shipping-form" noValidate ref={submit.formRef} onSubmit={submit.onSubmit} data-testid="shipping-form">
      {rules.default && <p className="dashboard__notice">{t('shippingFees.usingDefault')}</p>}
      <TextField
        id="ship-in-province"
        name="in_province_vnd"
        label={t('shippingFees.inProvince')}
        value={inProvince}
        onChange={setInProvince}
        inputMode="numeric"
        hint={t('productEditor.amountHint')}
        required
        error={err.in_province_vnd}
      />
      <TextField
        id="ship-other-province"
        name="other_province_vnd"
        label={t('shippingFees.otherProvince')}
        value={other}
        onChange={setOther}
        inputMode="numeric"
        required
        error={err.other_province_vnd}
      />
      <TextField
        id="ship-free-over"
        name="free_over_vnd"
        label={t('shippingFees.freeOver')}
        hint={t('shippingFees.freeOverHint')}
        value={freeOver}
        onChange={setFreeOver}
        inputMode="numeric"
        error={err.free_over_vnd}
      />
      {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
      {saved && <FormMessage tone="success">{t('shippingFees.saved')}</FormMessage>}
      <SubmitButton busy={submit.busy} busyLabel={t('dashboard.saving')}>
        {t('shippingFees.save')}
      </SubmitButton>
    </form>
  );
}
