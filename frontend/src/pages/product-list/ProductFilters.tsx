import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProductFilter } from '../../api/catalog.ts';
import { SelectField } from '../../components/form/SelectField.tsx';
import { useProvinceList } from '../../components/province/useProvinceList.ts';
import { useOcopGroups } from '../../lib/ocopGroups.ts';
import { certifications } from './productQuery.ts';
import { PriceRangeInputs } from '../../components/price-range/PriceRangeInputs';

/**
 * ProductFilters narrows the product list. Drop-downs and the season box
 * apply at once; the price range applies when the visitor presses "Áp dụng".
 * On a phone the filters fold away behind their heading.
 */
export function ProductFilters({ filter, onChange }: { filter: ProductFilter; onChange: (next: ProductFilter) => void }) {
  const { t } = useTranslation();
  const { provinces } = useProvinceList();
  const ocopGroups = useOcopGroups();
  const [minPrice, setMinPrice] = useState(filter.min_price?.toString() ?? '');
  const [maxPrice, setMaxPrice] = useState(filter.max_price?.toString() ?? '');

  // Back and forward change the URL: the price fields follow it.
  useEffect(() => {
    setMinPrice(filter.min_price?.toString() ?? '');
  }, [filter.min_price]);
  useEffect(() => {
    setMaxPrice(filter.max_price?.toString() ?? '');
  }, [filter.max_price]);

  const set = (patch: Partial<ProductFilter>) => onChange({ ...filter, ...patch });

  function applyPrices(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    set({ min_price: toPrice(minPrice), max_price: toPrice(maxPrice) });
  }

  return (
    <details className="product-filters" open={!isPhone()}>
      <summary className="product-filters__summary">{t('productList.filters')}</summary>
      <form className="product-filters__form" onSubmit={applyPrices} aria-label={t('productList.filters')}>
        <SelectField
          id="filter-province"
          name="province"
          label={t('productList.province')}
          placeholder={t('productList.all')}
          value={filter.province ?? ''}
          options={provinces.map((p) => ({ value: p.slug, label: p.name }))}
          onChange={(v) => set({ province: v || undefined })}
        />
        <SelectField
          id="filter-group"
          name="group"
          label={t('productList.group')}
          placeholder={t('productList.all')}
          value={filter.group ?? ''}
          options={ocopGroups.groups.map((g) => ({ value: g.slug, label: ocopGroups.groupName(g.slug) }))}
          onChange={(v) => set({ group: v || undefined })}
        />
        <SelectField
          id="filter-stars"
          name="stars"
          label={t('productList.stars')}
          placeholder={t('productList.all')}
          value={filter.stars?.toString() ?? ''}
          options={[3, 4, 5].map((s) => ({ value: String(s), label: t('productList.starsAtLeast', { count: s }) }))}
          onChange={(v) => set({ stars: v ? Number(v) : undefined })}
        />
        <SelectField
          id="filter-certification"
          name="certification"
          label={t('productList.certification')}
          placeholder={t('productList.all')}
          value={filter.certification ?? ''}
          options={certifications.map((c) => ({ value: c, label: c }))}
          onChange={(v) => set({ certification: v || undefined })}
        />
        <fieldset className="price-range-group">
          <legend className="field__label">{t('productList.price')}</legend>
          <PriceRangeInputs
            idPrefix="filter"
            min={minPrice}
            max={maxPrice}
            onMinChange={setMinPrice}
            onMaxChange={setMaxPrice}
          />
          <button type="submit" className="button button--secondary button--small">
            {t('productList.applyPrice')}
          </button>
        </fieldset>
        <label className="product-filters__check">
          <input
            type="checkbox"
            name="in_season"
            checked={filter.in_season === true}
            onChange={(e) => set({ in_season: e.target.checked || undefined })}
          />
          {t('productList.inSeason')}
        </label>
      </form>
    </details>
  );
}

function toPrice(text: string): number | undefined {
  const n = Number(text.replace(/[.\s]/g, ''));
  return text.trim() !== '' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function isPhone(): boolean {
  return typeof window !== 'undefined' && window.matchMedia('(max-width: 48rem)').matches;
}
