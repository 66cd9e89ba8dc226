import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, type Language } from '../../i18n/index.ts';
import './language-switch.css';

/**
 * LanguageSwitch offers the other language, written in that language
 * ("English" on the Vietnamese page, "Tiếng Việt" on the English one).
 */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const other: Language = currentLanguage() === 'vi' ? 'en' : 'vi';
  return (
    <button
      type="button"
      className="language-switch"
      data-testid="lang-switch"
      lang={other}
      title={t('language.switchToLabel')}
      onClick={() => void changeLanguage(other)}
    >
      {t('language.switchTo')}
    </button>
  );
}
