import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { listProvinces, type Province } from '../../api/provinces.ts';
import type { SourcingMatch, SourcingMatches, SourcingRequest } from '../../api/sourcing.ts';
import { ErrorMessage, LoadingMessage } from '../../components/status/StatusMessages.tsx';
import { formatVND } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { formatQuantity } from './common.tsx';
import './match-map.css';

/**
 * MatchViews shows a request's matches as the list by province (children)
 * or, at the buyer's choice, as a map; with no match there is only the list's
 * empty message.
 */
export function MatchViews({ request, data, children }: { request: SourcingRequest; data: SourcingMatches; children: ReactNode }) {
  const { t } = useTranslation('map');
  // The list is the default: it carries the score breakdowns and combinations.
  const [view, setView] = useState<'list' | 'map'>('list');
  if (data.matches.length === 0) return children;
  return (
    <>
      <div className="match-views__switch" role="group" aria-label={t('switch.label')}>
        {(['map', 'list'] as const).map((v) => (
          <button
            key={v}
            type="button"
            className={v === view ? 'match-views__choice match-views__choice--current' : 'match-views__choice'}
            aria-pressed={v === view}
            onClick={() => setView(v)}
            data-testid={`view-${v}`}
          >
            {t(`switch.${v}`)}
          </button>
        ))}
      </div>
      {view === 'list' ? children : <MatchMap request={request} matches={data.matches} />}
    </>
  );
}

// The map's frame: Vietnam's mainland with a margin, longitude to x and
// latitude to y (the trace page's projection), longitudes shortened by the
// cosine of the country's middle latitude so that the shape is not stretched.
const north = 23.6;
const south = 8.3;
const west = 101.8;
const east = 110.2;
const perDegreeLat = 40;
const perDegreeLng = perDegreeLat * Math.cos((16 * Math.PI) / 180);
const mapWidth = Math.round((east - west) * perDegreeLng);
const mapHeight = Math.round((north - south) * perDegreeLat);
// Each province's surroundings, drawn as one light shape: the union of these
// discs outlines the country well enough to find one's way.
const landRadius = 34;
const markerMin = 6;
const markerMax = 18;
// A small marker still gets a finger-sized target.
const hitRadius = 13;

function project(lat: number, lng: number): { x: number; y: number } {
  return { x: round1((lng - west) * perDegreeLng), y: round1((north - lat) * perDegreeLat) };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

// Score bands: the marker's colour and the legend.
const highFrom = 0.75;
const midFrom = 0.5;
const bands = ['high', 'mid', 'low'] as const;
type Band = (typeof bands)[number];

function bandOf(score: number): Band {
  return score >= highFrom ? 'high' : score >= midFrom ? 'mid' : 'low';
}

const scoreFormat = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Spot is a province with matched offers: one marker on the map. */
interface Spot {
  slug: string;
  name: string;
  x: number;
  y: number;
  r: number;
  matches: SourcingMatch[];
  quantity: number;
  best: number;
  km: number;
}

/** spotsOf groups the matches by the province their offers ship from, biggest first (drawn first, under the small ones). */
function spotsOf(matches: SourcingMatch[], provinces: Map<string, Province>): Spot[] {
  const bySlug = new Map<string, Spot>();
  for (const m of matches) {
    const p = provinces.get(m.offer.province);
    if (!p) continue;
    const s = bySlug.get(p.slug) ?? { slug: p.slug, name: p.name, ...project(p.lat, p.lng), r: 0, matches: [], quantity: 0, best: 0, km: m.distance_km };
    s.matches.push(m);
    s.quantity += m.quantity;
    s.best = Math.max(s.best, m.score);
    bySlug.set(p.slug, s);
  }
  const spots = [...bySlug.values()];
  const most = Math.max(...spots.map((s) => s.quantity));
  for (const s of spots) {
    // Area, not radius, grows with the quantity.
    s.r = round1(markerMin + (markerMax - markerMin) * Math.sqrt(most > 0 ? s.quantity / most : 1));
  }
  return spots.sort((a, b) => b.r - a.r || b.best - a.best);
}

/** MatchMap draws the matched offers' provinces around the request's delivery province, from the provinces' coordinates. */
function MatchMap({ request, matches }: { request: SourcingRequest; matches: SourcingMatch[] }) {
  const { t } = useTranslation('map');
  const provinces = useLoad('provinces', listProvinces);
  const [selected, setSelected] = useState<string>();
  if (provinces.status === 'loading') return <LoadingMessage>{t('loading')}</LoadingMessage>;
  if (provinces.status === 'error') return <ErrorMessage title={t('loadError')} error={provinces.error} onRetry={provinces.retry} />;
  const bySlug = new Map(provinces.data.map((p) => [p.slug, p]));
  const spots = spotsOf(matches, bySlug);
  const home = bySlug.get(request.province);
  const delivery = home && { ...project(home.lat, home.lng), name: home.name };
  const chosen = spots.find((s) => s.slug === selected);

  const label = (s: Spot) => {
    const offers = s.matches.map((m) =>
      t('marker.offer', { coop: m.cooperative.name, quantity: formatQuantity(m.quantity, request.unit), score: scoreFormat.format(m.score) }),
    );
    const here = s.slug === request.province;
    const km = Math.round(s.km);
    if (offers.length === 1) {
      return here ? t('marker.oneHere', { offer: offers[0], province: s.name }) : t('marker.one', { offer: offers[0], km, province: s.name });
    }
    const all = offers.join('; ');
    return here
      ? t('marker.manyHere', { count: offers.length, offers: all, province: s.name })
      : t('marker.many', { count: offers.length, offers: all, km, province: s.name });
  };
  const choose = (slug: string) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      setSelected(slug);
    }
  };

  return (
    <div className="match-map" data-testid="match-map">
      <div className="match-map__frame">
        <svg
          className="match-map__svg"
          viewBox={`0 0 ${mapWidth} ${mapHeight}`}
          role="group"
          aria-label={t('title', { province: request.province_name })}
        >
          <rect className="match-map__sea" width={mapWidth} height={mapHeight} rx={12} />
          <g className="match-map__land" aria-hidden="true">
            {provinces.data.map((p) => {
              const { x, y } = project(p.lat, p.lng);
              return <circle key={p.slug} cx={x} cy={y} r={landRadius} />;
            })}
          </g>
          <g className="match-map__provinces">
            {provinces.data.map((p) => {
              const { x, y } = project(p.lat, p.lng);
              return (
                <circle key={p.slug} className="match-map__province" cx={x} cy={y} r={2.5}>
                  <title>{p.name}</title>
                </circle>
              );
            })}
          </g>
          {delivery && (
            <g className="match-map__lines" aria-hidden="true">
              {spots
                .filter((s) => s.slug !== request.province)
                .map((s) => (
                  <line
                    key={s.slug}
                    className={`match-map__line match-map__line--${bandOf(s.best)}`}
                    x1={s.x}
                    y1={s.y}
                    x2={delivery.x}
                    y2={delivery.y}
                  />
                ))}
            </g>
          )}
          <g>
            {spots.map((s) => (
              <g
                key={s.slug}
                className={`match-map__marker match-map__marker--${bandOf(s.best)}`}
                role="button"
                tabIndex={0}
                aria-label={label(s)}
                aria-pressed={s.slug === selected}
                data-testid="map-marker"
                data-province={s.slug}
                onFocus={() => setSelected(s.slug)}
                onClick={() => setSelected(s.slug)}
                onKeyDown={choose(s.slug)}
              >
                <circle className="match-map__hit" cx={s.x} cy={s.y} r={Math.max(s.r, hitRadius)} />
                <circle className="match-map__dot" cx={s.x} cy={s.y} r={s.r} />
              </g>
            ))}
          </g>
          {delivery && (
            <g
              className="match-map__delivery"
              transform={`translate(${delivery.x} ${delivery.y})`}
              role="img"
              aria-label={t('delivery', { province: delivery.name })}
              data-testid="map-delivery"
              data-province={request.province}
            >
              <path d="M0 0 C-3 -7 -9 -11 -9 -18 A9 9 0 1 1 9 -18 C9 -11 3 -7 0 0 Z" />
              <circle cx={0} cy={-18} r={3.5} />
            </g>
          )}
          <g className="match-map__labels" aria-hidden="true">
            {delivery && (
              <text x={delivery.x + 12} y={delivery.y - 18}>
                {delivery.name}
              </text>
            )}
            {chosen && chosen.slug !== request.province && (
              <text x={chosen.x + chosen.r + 4} y={chosen.y + 4}>
                {chosen.name}
              </text>
            )}
          </g>
        </svg>
      </div>
      <div className="match-map__side">
        <MapDetail request={request} spot={chosen} />
        <MapLegend spots={spots} unit={request.unit} />
      </div>
    </div>
  );
}

/** MapDetail lists the offers of the chosen province, or says how to choose one. */
function MapDetail({ request, spot }: { request: SourcingRequest; spot: Spot | undefined }) {
  const { t } = useTranslation('map');
  if (!spot) return <p className="match-map__hint">{t('hint')}</p>;
  return (
    <div className="match-map__detail" data-testid="map-detail">
      <h3 className="match-map__detail-title">
        {t('detail.from', { province: spot.name })}{' '}
        <span className="match-map__detail-meta">
          · {spot.slug === request.province ? t('detail.here') : t('detail.distance', { km: Math.round(spot.km) })}
        </span>
      </h3>
      <ul className="match-map__offers">
        {spot.matches.map((m) => (
          <li key={m.offer_id}>
            <strong>{m.cooperative.name}</strong> · {m.offer.text}
            <br />
            <span className="match-map__detail-meta">
              {formatQuantity(m.quantity, request.unit)} · {t('detail.price', { price: formatVND(m.unit_price_vnd), unit: request.unit })} ·{' '}
              <span className={`match-map__score match-map__score--${bandOf(m.score)}`}>
                {t('detail.score', { score: scoreFormat.format(m.score) })}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** MapLegend explains the symbols: the delivery pin, the score colours, the circle sizes, the lines. */
function MapLegend({ spots, unit }: { spots: Spot[]; unit: string }) {
  const { t } = useTranslation('map');
  const least = Math.min(...spots.map((s) => s.quantity));
  const most = Math.max(...spots.map((s) => s.quantity));
  return (
    <section className="match-map__legend" aria-labelledby="match-map-legend" data-testid="map-legend">
      <h3 id="match-map-legend" className="match-map__legend-title">
        {t('legend.title')}
      </h3>
      <ul>
        <li>
          <svg className="match-map__swatch" viewBox="-10 -28 20 30" aria-hidden="true">
            <g className="match-map__delivery">
              <path d="M0 0 C-3 -7 -9 -11 -9 -18 A9 9 0 1 1 9 -18 C9 -11 3 -7 0 0 Z" />
              <circle cx={0} cy={-18} r={3.5} />
            </g>
          </svg>
          {t('legend.delivery')}
        </li>
        {bands.map((b) => (
          <li key={b}>
            <svg className="match-map__swatch" viewBox="-10 -10 20 20" aria-hidden="true">
              <circle className={`match-map__dot match-map__marker--${b}`} r={8} />
            </svg>
            {b === 'high' && t('legend.high', { from: scoreFormat.format(highFrom) })}
            {b === 'mid' && t('legend.mid', { from: scoreFormat.format(midFrom), to: scoreFormat.format(highFrom) })}
            {b === 'low' && t('legend.low', { to: scoreFormat.format(midFrom) })}
          </li>
        ))}
        {spots.length > 0 && (
          <li>
            <svg className="match-map__swatch match-map__swatch--wide" viewBox="-2 -10 40 20" aria-hidden="true">
              <circle className="match-map__size" cx={6} cy={4} r={4} />
              <circle className="match-map__size" cx={26} cy={0} r={9} />
            </svg>
            {least === most
              ? t('legend.sizeOne', { max: formatQuantity(most, unit) })
              : t('legend.size', { min: formatQuantity(least, unit), max: formatQuantity(most, unit) })}
          </li>
        )}
        <li>
          <svg className="match-map__swatch match-map__swatch--wide" viewBox="0 -10 40 20" aria-hidden="true">
            <line className="match-map__line" x1={2} y1={0} x2={38} y2={0} />
          </svg>
          {t('legend.line')}
        </li>
        <li>
          <svg className="match-map__swatch" viewBox="-10 -10 20 20" aria-hidden="true">
            <circle className="match-map__province" r={2.5} />
          </svg>
          {t('legend.province')}
        </li>
      </ul>
    </section>
  );
}
