import { useTranslation } from 'react-i18next';
import type { CooperativeStorefront } from '../../api/cooperatives.ts';
import { formatPhone } from '../../lib/format.ts';

/**
 * CooperativeProfile is the top of a storefront: cover, logo, name, place,
 * story, figures and how to reach the cooperative. A field the cooperative
 * left empty is left out, label and all.
 */
export function CooperativeProfile({ coop, provinceName }: { coop: CooperativeStorefront; provinceName: string }) {
  const { t } = useTranslation();
  const { t: tm } = useTranslation('media');
  const place = [coop.commune, provinceName].filter(Boolean).join(', ');
  const address = [coop.address, coop.commune, provinceName].filter(Boolean).join(', ');
  const zalo = zaloLink(coop.phone);
  const contact = coop.address !== '' || coop.phone !== '' || coop.email !== '';
  return (
    <header className="coop-profile" data-testid="coop-profile">
      {coop.banner_url && <img className="coop-profile__banner" src={coop.banner_url} alt="" data-testid="coop-cover" />}
      <div className="coop-profile__head">
        {coop.logo_url ? (
          <img className="coop-profile__logo" src={coop.logo_url} alt={`Logo ${coop.name}`} data-testid="coop-logo" />
        ) : (
          <span className="coop-profile__logo coop-profile__logo--initial" aria-hidden="true">
            {initial(coop.name)}
          </span>
        )}
        <div>
          <h1 className="coop-profile__name">{coop.name}</h1>
          {place && <p className="coop-profile__place">{place}</p>}
          <span className="chip chip--good">{t('storefront.verified')}</span>
        </div>
      </div>
      {coop.story.trim() && (
        <section className="coop-profile__section" aria-labelledby="coop-story-title">
          <h2 id="coop-story-title" className="coop-profile__subheading">
            {tm('storefront.story')}
          </h2>
          <p className="coop-profile__story" data-testid="coop-story">
            {coop.story}
          </p>
        </section>
      )}
      <dl className="coop-profile__facts" data-testid="coop-facts">
        {coop.registration_number && <Fact label={t('storefront.registrationNumber')} value={coop.registration_number} />}
        {coop.founded_year !== null && <Fact label={t('storefront.founded')} value={String(coop.founded_year)} />}
        {coop.member_count !== null && <Fact label={t('storefront.members')} value={String(coop.member_count)} />}
        <Fact label={t('storefront.productCount')} value={String(coop.product_count)} />
      </dl>
      {contact && (
        <section className="coop-profile__section" aria-labelledby="coop-contact-title" data-testid="coop-contact">
          <h2 id="coop-contact-title" className="coop-profile__subheading">
            {tm('storefront.contact')}
          </h2>
          <dl className="coop-profile__facts">
            {coop.address && <Fact label={tm('storefront.address')} value={address} />}
            {coop.phone && <Fact label={t('storefront.phone')} value={displayPhone(coop.phone)} href={`tel:${coop.phone}`} />}
            {coop.email && <Fact label={t('storefront.email')} value={coop.email} href={`mailto:${coop.email}`} />}
          </dl>
          {zalo && (
            <a className="button button--secondary coop-profile__zalo" href={zalo} target="_blank" rel="noopener noreferrer" aria-label={tm('storefront.zaloLabel', { name: coop.name })} data-testid="coop-zalo">
              {tm('storefront.zalo')}
            </a>
          )}
        </section>
      )}
      {coop.certifications.length > 0 && (
        <ul className="chips" aria-label={t('product.certifications')}>
          {coop.certifications.map((c) => (
            <li key={c} className="chip">
              {c}
            </li>
          ))}
        </ul>
      )}
    </header>
  );
}

function Fact({ label, value, href }: { label: string; value: string; href?: string }) {
  return (
    <div className="coop-profile__fact">
      <dt>{label}</dt>
      <dd>{href ? <a href={href}>{value}</a> : value}</dd>
    </div>
  );
}

function initial(name: string): string {
  const word = name.replace(/^HTX\s+/i, '').trim();
  return word.charAt(0).toLocaleUpperCase('vi');
}

/** displayPhone groups a mobile number as people read it aloud (0912 345 678); other numbers as formatPhone does. */
function displayPhone(phone: string): string {
  const m = /^0(\d{3})(\d{3})(\d{3})$/.exec(phone);
  return m ? `0${m[1]} ${m[2]} ${m[3]}` : formatPhone(phone);
}

/**
 * zaloLink is the Zalo chat address of a Vietnamese mobile number
 * (zalo.me/0912345678): Zalo accounts are opened with a mobile number, so
 * a landline (02…) gets none.
 */
export function zaloLink(phone: string): string {
  const m = /^(?:\+84|0)([35789]\d{8})$/.exec(phone);
  return m ? `https://zalo.me/0${m[1]}` : '';
}
