import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { removeCoopImage, uploadCoopImage, type CoopImageKind } from '../../api/media.ts';
import { FormMessage } from '../form/FormMessage.tsx';
import { problemMessage } from '../form/formErrors.ts';

const accepted = 'image/jpeg,image/png,image/webp';

/**
 * CoopImageFields are a cooperative's logo and cover: each shows what the
 * storefront shows, uploads a chosen file at once and can be removed. They
 * work on a registered cooperative only (coop is its slug).
 */
export function CoopImageFields({ coop, logoURL, coverURL }: { coop: string; logoURL: string; coverURL: string }) {
  const { t } = useTranslation('media');
  const [urls, setURLs] = useState({ logo: logoURL, cover: coverURL });
  return (
    <fieldset className="coop-form__group" data-testid="coop-images">
      <legend className="coop-form__legend">{t('coopImages.legend')}</legend>
      <div className="coop-images">
        <CoopImageField coop={coop} kind="logo" url={urls.logo} onChange={(logo) => setURLs((u) => ({ ...u, logo }))} />
        <CoopImageField coop={coop} kind="cover" url={urls.cover} onChange={(cover) => setURLs((u) => ({ ...u, cover }))} />
      </div>
    </fieldset>
  );
}

function CoopImageField({ coop, kind, url, onChange }: { coop: string; kind: CoopImageKind; url: string; onChange: (url: string) => void }) {
  const { t, i18n } = useTranslation('media');
  const { t: tc } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const what = t(`coopImages.${kind}`);
  const lower = what.toLocaleLowerCase(i18n.language);
  const id = `coop-${kind}-file`;

  async function run(action: () => Promise<{ logo_url: string; banner_url: string }>, done: string) {
    setBusy(true);
    setNotice(null);
    try {
      const c = await action();
      onChange(kind === 'logo' ? c.logo_url : c.banner_url);
      setNotice({ tone: 'success', text: done });
    } catch (err) {
      setNotice({ tone: 'error', text: problemMessage(err, tc) });
    } finally {
      setBusy(false);
      setInputKey((k) => k + 1);
    }
  }

  return (
    <div className={`coop-image coop-image--${kind}`} data-testid={`coop-${kind}-field`}>
      <p className="field__label">{what}</p>
      {url ? (
        <img className={`coop-image__preview coop-image__preview--${kind}`} src={url} alt={what} data-testid={`coop-${kind}-preview`} />
      ) : (
        <p className="field__hint">{t('coopImages.none')}</p>
      )}
      <div className="field">
        <label htmlFor={id} className="button button--secondary button--small coop-image__pick">
          {busy ? t('coopImages.uploading') : t('coopImages.choose', { what: lower })}
        </label>
        <input
          key={inputKey}
          id={id}
          className="visually-hidden"
          type="file"
          accept={accepted}
          disabled={busy}
          aria-describedby={`${id}-hint`}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void run(() => uploadCoopImage(coop, kind, file), t('coopImages.uploaded', { what: lower }));
          }}
          data-testid={`coop-${kind}-file`}
        />
        <p id={`${id}-hint`} className="field__hint">
          {kind === 'logo' ? t('coopImages.logoHint') : t('coopImages.coverHint')}
        </p>
      </div>
      {url && (
        <button type="button" className="button button--danger button--small" disabled={busy} onClick={() => void run(() => removeCoopImage(coop, kind), t('coopImages.removed', { what: lower }))} data-testid={`coop-${kind}-remove`}>
          {t('coopImages.remove', { what: lower })}
        </button>
      )}
      {notice && <FormMessage tone={notice.tone}>{notice.text}</FormMessage>}
    </div>
  );
}
