// Translations and the visitor's language. Vietnamese is the default for every
// visitor, whatever the browser asks for: the marketplace is Vietnamese first,
// and a visitor's own choice is remembered in localStorage.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import vi from './vi.json';
import en from './en.json';
import traceVi from './ns/trace.vi.json';
import traceEn from './ns/trace.en.json';
import sourcingVi from './ns/sourcing.vi.json';
import sourcingEn from './ns/sourcing.en.json';
import adminVi from './ns/admin.vi.json';
import adminEn from './ns/admin.en.json';
import membersVi from './ns/members.vi.json';
import membersEn from './ns/members.en.json';
import mediaVi from './ns/media.vi.json';
import mediaEn from './ns/media.en.json';
import packagingVi from './ns/packaging.vi.json';
import packagingEn from './ns/packaging.en.json';
import precisionVi from './ns/precision.vi.json';
import precisionEn from './ns/precision.en.json';
import mapVi from './ns/map.vi.json';
import mapEn from './ns/map.en.json';
import depositVi from './ns/deposit.vi.json';
import depositEn from './ns/deposit.en.json';

export const languages = ['vi', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'vi';

export const resources = {
  vi: {
    translation: vi,
    trace: traceVi,
    sourcing: sourcingVi,
    admin: adminVi,
    members: membersVi,
    media: mediaVi,
    packaging: packagingVi,
    precision: precisionVi,
    map: mapVi,
    deposit: depositVi,
  },
  // satisfies: a key missing from the English file fails the type check.
  en: {
    translation: en satisfies typeof vi,
    trace: traceEn satisfies typeof traceVi,
    sourcing: sourcingEn satisfies typeof sourcingVi,
    admin: adminEn satisfies typeof adminVi,
    members: membersEn satisfies typeof membersVi,
    media: mediaEn satisfies typeof mediaVi,
    packaging: packagingEn satisfies typeof packagingVi,
    precision: precisionEn satisfies typeof precisionVi,
    map: mapEn satisfies typeof mapVi,
    deposit: depositEn satisfies typeof depositVi,
  },
} as const;

const storageKey = 'htxmarket.language';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(storageKey);
    return isLanguage(value) ? value : defaultLanguage;
  } catch {
    // Storage can be disabled (private mode, strict settings); fall back quietly.
    return defaultLanguage;
  }
}

function remember(language: Language): void {
  try {
    window.localStorage.setItem(storageKey, language);
  } catch {
    // Not remembering the choice is acceptable; the page still switches.
  }
}

// reflectLanguage keeps what the browser and assistive technology see
// (<html lang>, the tab title) in step with the chosen language.
function reflectLanguage(language: string): void {
  document.documentElement.lang = language;
  document.title = i18n.t('app.documentTitle');
}

/** currentLanguage returns the language in use, narrowed to the ones we ship. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : defaultLanguage;
}

/** changeLanguage switches the interface language and remembers the choice. */
export async function changeLanguage(language: Language): Promise<void> {
  remember(language);
  await i18n.changeLanguage(language);
}

i18n.on('languageChanged', reflectLanguage);

void i18n.use(initReactI18next).init({
  resources,
  lng: storedLanguage(),
  fallbackLng: defaultLanguage,
  supportedLngs: languages,
  interpolation: {
    // React escapes output already.
    escapeValue: false,
  },
});

export default i18n;
