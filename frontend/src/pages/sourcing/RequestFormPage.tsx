import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { createRequest, listUnits } from '../../api/sourcing.ts';
import type { User } from '../../api/identity.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextAreaField } from '../../components/form/TextAreaField.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { isoDay } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireSignIn } from '../../session/RequireSignIn.tsx';
import { requestPath, sourcingBoardPath } from './paths.ts';
import './sourcing.css';

type Field =
  | 'text'
  | 'quantity'
  | 'unit'
  | 'max_unit_price_vnd'
  | 'province'
  | 'wanted_from'
  | 'wanted_to'
  | 'certifications'
  | 'min_stars'
  | 'recurrence'
  | 'cooperatives'
  | 'notes';
const fields: Field[] = [
  'text',
  'quantity',
  'unit',
  'max_unit_price_vnd',
  'province',
  'wanted_from',
  'wanted_to',
  'certifications',
  'min_stars',
  'recurrence',
  'cooperatives',
  'notes',
];
const fieldMap = Object.fromEntries(fields.map((f) => [f, f])) as Record<string, Field>;

/** certificationChoices are the certifications buyers ask for most. */
const certificationChoices = ['VietGAP', 'GlobalGAP', 'Hữu cơ', 'HACCP'];

/** RequestFormPage is /nguon-hang/yeu-cau-moi: a wholesaler's request for quotes, pre-filled by ?text=&unit=&htx=. */
export function RequestFormPage() {
  return <RequireSignIn>{(user) => <RequestForm user={user} />}</RequireSignIn>;
}

function RequestForm({ user }: { user: User }) {
  const { t } = useTranslation('sourcing');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const units = useLoad('sourcing-units', (signal) => listUnits(signal));
  const { provinces } = useProvinceList();
  const today = new Date();
  const [text, setText] = useState(params.get('text') ?? '');
  const [quantity, setQuantity] = useState('');
  const [unit, setUnit] = useState(params.get('unit') ?? 'kg');
  const [maxPrice, setMaxPrice] = useState('');
  const [province, setProvince] = useState('');
  const [from, setFrom] = useState(isoDay(today));
  const [to, setTo] = useState(isoDay(new Date(today.getFullYear(), today.getMonth() + 1, today.getDate())));
  const [certs, setCerts] = useState<string[]>([]);
  const [stars, setStars] = useState('0');
  const [recurrence, setRecurrence] = useState<'once' | 'monthly'>('once');
  const [notes, setNotes] = useState('');
  const [invited, setInvited] = useState<string[]>(params.get('htx') ? [params.get('htx') ?? ''] : []);
  const allowed = user.roles.includes('wholesaler') || user.roles.includes('admin');
  // A product's unit that is no unit of ours ("hộp 500g") is not offered: kg then.
  const unitKnown = units.status !== 'ready' || units.data.some((u) => u.name === unit);
  const chosenUnit = unitKnown ? unit : 'kg';

  const submit = useSubmit(async () => {
    const r = await createRequest({
      text,
      quantity: Number(quantity.replace(',', '.')),
      unit: chosenUnit,
      max_unit_price_vnd: maxPrice ? Number(maxPrice.replace(/\D/g, '')) : 0,
      province,
      wanted_from: from,
      wanted_to: to,
      certifications: certs,
      min_stars: Number(stars) as 0 | 3 | 4 | 5,
      recurrence,
      cooperatives: invited,
      notes,
    });
    navigate(requestPath(r.id));
  }, fieldMap);
  const err = submit.errors.fields;

  return (
    <div className="sourcing sourcing--narrow">
      <nav className="breadcrumb" aria-label={t('breadcrumb')}>
        <Link to={sourcingBoardPath}>{t('board.title')}</Link>
      </nav>
      <h1 className="sourcing__title">{t('form.title')}</h1>
      <p className="sourcing__lead">{t('form.lead')}</p>
      {!allowed && <FormMessage tone="error">{t('form.wholesalersOnly')}</FormMessage>}
      <form ref={submit.formRef} onSubmit={submit.onSubmit} className="sourcing-form" noValidate data-testid="request-form">
        {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
        <TextField id="rq-text" name="text" label={t('field.text')} hint={t('form.textHint')} value={text} onChange={setText} error={err.text} required />
        <div className="sourcing-form__row">
          <TextField id="rq-quantity" name="quantity" label={t('field.quantity')} value={quantity} onChange={setQuantity} inputMode="decimal" error={err.quantity} required />
          <SelectField
            id="rq-unit"
            name="unit"
            label={t('field.unit')}
            value={chosenUnit}
            onChange={setUnit}
            error={err.unit}
            options={(units.status === 'ready' ? units.data : [{ name: chosenUnit, dimension: '', base: 1 }]).map((u) => ({ value: u.name, label: u.name }))}
          />
        </div>
        <TextField
          id="rq-max-price"
          name="max_unit_price_vnd"
          label={t('field.maxPricePer', { unit: chosenUnit })}
          hint={t('form.maxPriceHint')}
          value={maxPrice}
          onChange={setMaxPrice}
          inputMode="numeric"
          error={err.max_unit_price_vnd}
        />
        <SelectField
          id="rq-province"
          name="province"
          label={t('field.province')}
          value={province}
          onChange={setProvince}
          error={err.province}
          placeholder={t('form.chooseProvince')}
          options={provinces.map((p) => ({ value: p.slug, label: p.name }))}
          required
        />
        <div className="sourcing-form__row">
          <TextField id="rq-from" name="wanted_from" type="date" label={t('field.wantedFrom')} value={from} onChange={setFrom} error={err.wanted_from} />
          <TextField id="rq-to" name="wanted_to" type="date" label={t('field.wantedTo')} value={to} onChange={setTo} error={err.wanted_to} required />
        </div>
        <fieldset className="sourcing-form__checks">
          <legend>{t('field.certifications')}</legend>
          {certificationChoices.map((c) => (
            <label key={c} className="sourcing-form__check">
              <input
                type="checkbox"
                checked={certs.includes(c)}
                onChange={(e) => setCerts(e.target.checked ? [...certs, c] : certs.filter((x) => x !== c))}
              />
              {c}
            </label>
          ))}
          {err.certifications && <p className="field__error">{err.certifications}</p>}
        </fieldset>
        <div className="sourcing-form__row">
          <SelectField
            id="rq-stars"
            name="min_stars"
            label={t('field.minStars')}
            value={stars}
            onChange={setStars}
            error={err.min_stars}
            options={[
              { value: '0', label: t('form.anyStars') },
              { value: '3', label: t('stars', { count: 3 }) },
              { value: '4', label: t('stars', { count: 4 }) },
              { value: '5', label: t('stars', { count: 5 }) },
            ]}
          />
          <SelectField
            id="rq-recurrence"
            name="recurrence"
            label={t('field.recurrence')}
            value={recurrence}
            onChange={(v) => setRecurrence(v === 'monthly' ? 'monthly' : 'once')}
            error={err.recurrence}
            options={[
              { value: 'once', label: t('recurrence.once') },
              { value: 'monthly', label: t('recurrence.monthly') },
            ]}
          />
        </div>
        {invited.length > 0 && (
          <div className="sourcing-form__invited" data-testid="invited">
            <p>{t('form.invitedOnly', { coops: invited.join(', ') })}</p>
            <button type="button" className="button button--small" onClick={() => setInvited([])}>
              {t('form.openToAll')}
            </button>
            {err.cooperatives && <p className="field__error">{err.cooperatives}</p>}
          </div>
        )}
        <TextAreaField id="rq-notes" name="notes" label={t('field.notes')} value={notes} onChange={setNotes} error={err.notes} rows={3} />
        <SubmitButton busy={submit.busy} busyLabel={t('form.sending')}>
          {t('form.submit')}
        </SubmitButton>
      </form>
    </div>
  );
}
