import { useTranslation } from 'react-i18next';
import type { CooperativeStorefront } from '../../api/cooperatives.ts';
import { formatPhone } from '../../lib/format.ts';

/** CooperativeProfile is the top of a storefront: banner, logo, name, place, story and contacts. */
export function CooperativeProfile({ coop, provinceName }: { coop: CooperativeStorefront; provinceName: string }) {
  const { t } = useTranslation();
  const place = [coop.address, coop.commune, provinceName].filter(Boolean).join(', ');
  return (
    <header className="coop-profile" data-testid="coop-profile">
      {coop.banner_url && <img className="coop-profile__banner" src={coop.banner_url} alt="" />}
      <div className="coop-profile__head">
        {coop.logo_url ? (
          <img className="coop-profile__logo" src={coop.logo_url} alt="" />
        ) : (
          <span className="coop-profile__logo coop-profile__logo--initial" aria-hidden="true">
            {initial(coop.name)}
          </span>
        )}
        <div>
          <h1 className="coop-profile__name">{coop.name}</h1>
          <p className="coop-profile__place">{place}</p>
          <span className="chip chip--good">{t('storefront.verified')}</span>
        </div>
      </div>
      {coop.story && <p className="coop-profile__story">{coop.story}</p>}
      <dl className="coop-profile__facts">
        <Fact label={t('storefront.registrationNumber')} value={coop.registration_number} />
        {coop.founded_year !== null && <Fact label={t('storefront.founded')} value={String(coop.founded_year)} />}
        {coop.member_count !== null && <Fact label={t('storefront.members')} value={String(coop.member_count)} />}
        <Fact label={t('storefront.productCount')} value={String(coop.product_count)} />
        {coop.phone && <Fact label={t('storefront.phone')} value={formatPhone(coop.phone)} href={`tel:${coop.phone}`} />}
        {coop.email && <Fact label={t('storefront.email')} value={coop.email} href={`mailto:${coop.email}`} />}
      </dl>
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
