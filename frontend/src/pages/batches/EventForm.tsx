import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addTraceEvent,
  traceKinds,
  uploadTracePhoto,
  type NewTraceEvent,
  type TraceEvent,
  type TraceKind,
  type TracePhoto,
} from '../../api/trace.ts';
import { problemMessage } from '../../components/form/formErrors.ts';
import { FormMessage } from '../../components/form/FormMessage.tsx';
import { SelectField } from '../../components/form/SelectField.tsx';
import { SubmitButton } from '../../components/form/SubmitButton.tsx';
import { TextAreaField } from '../../components/form/TextAreaField.tsx';
import { TextField } from '../../components/form/TextField.tsx';
import { useSubmit } from '../../components/form/useSubmit.ts';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { parseWhole } from '../../lib/format.ts';
import { coordinate } from './NewBatchForm.tsx';

type Field = 'kind' | 'when' | 'place' | 'province' | 'lat' | 'lng' | 'actor' | 'phone' | 'notes' | 'inspector' | 'result' | 'cost' | 'photos' | 'corrects';

const fieldMap: Record<string, Field> = {
  kind: 'kind',
  occurred_at: 'when',
  'place.name': 'place',
  'place.province': 'province',
  'place.lat': 'lat',
  'place.lng': 'lng',
  actor_name: 'actor',
  actor_phone: 'phone',
  notes: 'notes',
  inspector: 'inspector',
  result: 'result',
  cost_vnd: 'cost',
  photos: 'photos',
  corrects_seq: 'corrects',
};

/** MaxPhotos is the server's bound on an event's photos. */
const maxPhotos = 6;

/** localNow is the current minute as a datetime-local input writes it. */
function localNow(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

/** withZone turns a datetime-local value into RFC 3339 with the browser's offset. */
function withZone(local: string): string {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

/**
 * EventForm records what just happened to a batch, made for a phone in the
 * field: the kinds as large buttons, the time preset to now, photos straight
 * from the camera. Events cannot be edited afterwards; a mistake is fixed
 * by an event that names the one it corrects.
 */
export function EventForm({
  coop,
  batchID,
  seqs,
  defaultProvince,
  onAdded,
}: {
  coop: string;
  batchID: string;
  seqs: number[];
  defaultProvince: string;
  onAdded: (e: TraceEvent) => void;
}) {
  const { t } = useTranslation('trace');
  const { t: tc } = useTranslation();
  const { provinces } = useProvinceList();
  const blank = {
    kind: '' as TraceKind | '',
    when: localNow(),
    place: '',
    province: defaultProvince,
    lat: '',
    lng: '',
    actor: '',
    phone: '',
    notes: '',
    inspector: '',
    result: '',
    cost: '',
    corrects: '',
  };
  const [f, setF] = useState(blank);
  const [photos, setPhotos] = useState<TracePhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  const [photoError, setPhotoError] = useState('');
  const [done, setDone] = useState('');
  const set = (k: keyof typeof blank) => (v: string) => setF((old) => ({ ...old, [k]: v }));

  async function addPhotos(event: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(event.target.files ?? []).slice(0, maxPhotos - photos.length);
    event.target.value = '';
    setPhotoError('');
    setUploading(true);
    try {
      for (const file of files) {
        const p = await uploadTracePhoto(coop, file);
        setPhotos((old) => [...old, p]);
      }
    } catch (err) {
      setPhotoError(problemMessage(err, tc));
    } finally {
      setUploading(false);
    }
  }

  const submit = useSubmit(async () => {
    if (!f.kind) {
      submit.fail({ fields: { kind: t('event.chooseKind') } });
      return;
    }
    const cost = parseWhole(f.cost);
    const input: NewTraceEvent = {
      kind: f.kind,
      occurred_at: withZone(f.when),
      place: { name: f.place, commune: '', province: f.province, lat: coordinate(f.lat), lng: coordinate(f.lng) },
      actor_name: f.actor,
      actor_phone: f.phone.trim(),
      notes: f.notes,
      inspector: f.kind === 'inspected' ? f.inspector : '',
      result: f.kind === 'inspected' ? (f.result as 'passed' | 'failed' | '') : '',
      cost_vnd: cost === undefined ? null : cost,
      photos: photos.map((p) => p.key),
      corrects_seq: f.corrects ? Number(f.corrects) : null,
    };
    const e = await addTraceEvent(coop, batchID, input);
    onAdded(e);
    setF({ ...blank, when: localNow(), place: f.place, province: f.province, lat: f.lat, lng: f.lng, actor: f.actor });
    setPhotos([]);
    setDone(t('event.added', { seq: e.seq }));
  }, fieldMap);
  const err = submit.errors.fields;

  return (
    <form ref={submit.formRef} onSubmit={submit.onSubmit} className="batch-form event-form" noValidate data-testid="event-form">
      <h2 className="batch-form__title">{t('event.title')}</h2>
      <fieldset className="kind-picker" aria-invalid={err.kind ? true : undefined}>
        <legend>{t('event.kind')}</legend>
        {traceKinds.map((k) => (
          <label key={k} className={f.kind === k ? 'kind-picker__option kind-picker__option--on' : 'kind-picker__option'}>
            <input type="radio" name="kind" value={k} checked={f.kind === k} onChange={() => set('kind')(k)} data-testid={`kind-${k}`} />
            {t(`kind.${k}`)}
          </label>
        ))}
        {err.kind && <p className="field__error">{err.kind}</p>}
      </fieldset>
      <div className={err.when ? 'field field--invalid' : 'field'}>
        <label className="field__label" htmlFor="event-when">
          {t('event.when')}
        </label>
        <input
          id="event-when"
          name="when"
          className="field__input"
          type="datetime-local"
          value={f.when}
          onChange={(e) => set('when')(e.target.value)}
          aria-invalid={err.when ? true : undefined}
        />
        {err.when && <p className="field__error">{err.when}</p>}
      </div>
      {f.kind === 'inspected' && (
        <div className="batch-form__row">
          <TextField id="event-inspector" name="inspector" label={t('event.inspector')} value={f.inspector} onChange={set('inspector')} error={err.inspector} required />
          <SelectField
            id="event-result"
            name="result"
            label={t('event.result')}
            value={f.result}
            options={[
              { value: 'passed', label: t('result.passed') },
              { value: 'failed', label: t('result.failed') },
            ]}
            placeholder={t('form.choose')}
            onChange={set('result')}
            error={err.result}
            required
          />
        </div>
      )}
      <TextAreaField id="event-notes" name="notes" label={t('event.notes')} value={f.notes} onChange={set('notes')} error={err.notes} rows={3} />
      <div className="photo-picker">
        <label className="button button--secondary photo-picker__button" htmlFor="event-photo">
          {uploading ? t('event.uploading') : t('event.photo')}
        </label>
        <input
          id="event-photo"
          className="photo-picker__input"
          type="file"
          accept="image/*"
          capture="environment"
          multiple
          disabled={uploading || photos.length >= maxPhotos}
          onChange={(e) => void addPhotos(e)}
          data-testid="event-photo"
        />
        {photos.length > 0 && (
          <ul className="photo-picker__list" data-testid="event-photos">
            {photos.map((p) => (
              <li key={p.key}>
                <img src={p.url} alt={t('event.photoAlt')} width={72} height={72} />
                <button type="button" className="photo-picker__remove" onClick={() => setPhotos((old) => old.filter((x) => x.key !== p.key))}>
                  {t('event.removePhoto')}
                </button>
              </li>
            ))}
          </ul>
        )}
        {(photoError || err.photos) && <FormMessage tone="error">{photoError || err.photos || ''}</FormMessage>}
      </div>
      <details className="batch-form__more">
        <summary>{t('event.more')}</summary>
        <TextField id="event-place" name="place" label={t('event.place')} value={f.place} onChange={set('place')} error={err.place} />
        <SelectField
          id="event-province"
          name="province"
          label={t('form.province')}
          value={f.province}
          options={provinces.map((p) => ({ value: p.slug, label: p.name }))}
          placeholder={t('event.noProvince')}
          onChange={set('province')}
          error={err.province}
        />
        <div className="batch-form__row">
          <TextField id="event-lat" name="lat" label={t('form.lat')} value={f.lat} onChange={set('lat')} inputMode="decimal" error={err.lat} />
          <TextField id="event-lng" name="lng" label={t('form.lng')} value={f.lng} onChange={set('lng')} inputMode="decimal" error={err.lng} />
        </div>
        <TextField id="event-actor" name="actor" label={t('event.actor')} hint={t('event.public')} value={f.actor} onChange={set('actor')} error={err.actor} />
        <div className="batch-form__row">
          <TextField id="event-phone" name="phone" type="tel" label={t('event.phone')} hint={t('form.private')} value={f.phone} onChange={set('phone')} error={err.phone} />
          <TextField id="event-cost" name="cost" label={t('event.cost')} hint={t('form.private')} value={f.cost} onChange={set('cost')} inputMode="numeric" error={err.cost} />
        </div>
        {seqs.length > 0 && (
          <SelectField
            id="event-corrects"
            name="corrects"
            label={t('event.corrects')}
            value={f.corrects}
            options={seqs.map((s) => ({ value: String(s), label: t('event.seq', { seq: s }) }))}
            placeholder={t('event.correctsNone')}
            onChange={set('corrects')}
            error={err.corrects}
          />
        )}
      </details>
      {submit.errors.message && <FormMessage tone="error">{submit.errors.message}</FormMessage>}
      <p role="status" className={done ? 'form-message form-message--success' : undefined} data-testid="event-status">
        {done}
      </p>
      <SubmitButton busy={submit.busy || uploading} busyLabel={t('event.saving')}>
        {t('event.save')}
      </SubmitButton>
    </form>
  );
}
