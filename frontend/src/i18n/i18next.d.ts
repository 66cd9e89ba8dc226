// Typed translation keys: t('home.titel') is a compile error.
import 'i18next';
import type vi from './vi.json';
import type trace from './ns/trace.vi.json';
import type sourcing from './ns/sourcing.vi.json';
import type admin from './ns/admin.vi.json';
import type members from './ns/members.vi.json';
import type media from './ns/media.vi.json';
import type packaging from './ns/packaging.vi.json';
import type precision from './ns/precision.vi.json';
import type map from './ns/map.vi.json';
import type deposit from './ns/deposit.vi.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: {
      translation: typeof vi;
      trace: typeof trace;
      sourcing: typeof sourcing;
      admin: typeof admin;
      members: typeof members;
      media: typeof media;
      packaging: typeof packaging;
      precision: typeof precision;
      map: typeof map;
      deposit: typeof deposit;
    };
  }
}
