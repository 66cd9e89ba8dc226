import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { SearchSuggestion, SuggestionKind } from '../../api/search.ts';
import { searchPath, searchURL, suggestionPath } from '../../pages/search/searchQuery.ts';
import { useSuggestions } from './useSuggestions.ts';
import './search-box.css';

const kinds: readonly SuggestionKind[] = ['product', 'cooperative', 'province'];

/**
 * SearchBox is the product search field with instant suggestions (the ARIA
 * combobox pattern): ↑/↓ move through the suggestions, grouped as products,
 * cooperatives and provinces, Enter opens the one chosen or searches for
 * the words typed, Escape closes the list (and a second Escape clears the
 * field). On the results page it shows the words searched for.
 */
export function SearchBox({ variant }: { variant: 'header' | 'hero' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const id = useId();
  const inputId = `${id}-input`;
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-option-${i}`;

  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const rootRef = useRef<HTMLFormElement>(null);
  const { suggestions, forText } = useSuggestions(text);

  // On the results page the box shows the words searched for; elsewhere it keeps what was typed.
  const urlQuery = location.pathname === searchPath ? (new URLSearchParams(location.search).get('q') ?? '') : null;
  useEffect(() => {
    if (urlQuery !== null) setText(urlQuery);
    setOpen(false);
  }, [urlQuery, location.key]);

  // Grouped for display; `ordered` is the same list in display order, which ↑/↓ walk through.
  const groups = kinds
    .map((kind) => ({ kind, items: suggestions.filter((s) => s.kind === kind) }))
    .filter((g) => g.items.length > 0);
  const ordered = groups.flatMap((g) => g.items);
  const expanded = open && text.trim() !== '' && ordered.length > 0;

  useEffect(() => {
    setActive(-1);
  }, [forText]);

  function choose(s: SearchSuggestion) {
    setOpen(false);
    setActive(-1);
    if (s.kind === 'province') setText('');
    navigate(suggestionPath(s));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (expanded && active >= 0 && ordered[active]) {
      choose(ordered[active]);
      return;
    }
    const q = text.trim();
    setOpen(false);
    navigate(searchURL(q ? { q } : {}));
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!expanded) {
          setOpen(true);
          setActive(ordered.length > 0 ? 0 : -1);
        } else {
          setActive((a) => (a + 1 >= ordered.length ? -1 : a + 1));
        }
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (!expanded) {
          setOpen(true);
          setActive(ordered.length - 1);
        } else {
          setActive((a) => (a <= -1 ? ordered.length - 1 : a - 1));
        }
        break;
      case 'Escape':
        if (expanded) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (text !== '') {
          event.preventDefault();
          setText('');
        }
        break;
      default:
        break;
    }
  }

  // The active option stays in view when the list scrolls.
  useEffect(() => {
    if (active < 0) return;
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  let index = -1;
  return (
    <form
      ref={rootRef}
      className={`search-box search-box--${variant}`}
      role="search"
      onSubmit={submit}
      onBlur={(event) => {
        if (!rootRef.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
      data-testid={`search-box-${variant}`}
    >
      <label htmlFor={inputId} className="visually-hidden">
        {t('search.label')}
      </label>
      <div className="search-box__field">
        <input
          id={inputId}
          className="search-box__input"
          type="search"
          name="q"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          enterKeyHint="search"
          maxLength={200}
          placeholder={t('search.placeholder')}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onKeyDown={onKeyDown}
        />
        <div
          id={listId}
          className="search-box__list"
          role="listbox"
          aria-label={t('search.suggestions')}
          hidden={!expanded}
          data-testid="search-suggestions"
        >
          {groups.map((g) => (
            <div key={g.kind} role="group" aria-labelledby={`${id}-${g.kind}`} className="search-box__group">
              <div id={`${id}-${g.kind}`} role="presentation" className="search-box__group-title">
                {t(`search.kind.${g.kind}`)}
              </div>
              {g.items.map((s) => {
                index += 1;
                const i = index;
                return (
                  <div
                    key={`${s.kind}-${s.slug}`}
                    id={optionId(i)}
                    role="option"
                    aria-selected={i === active}
                    className={i === active ? 'search-box__option search-box__option--active' : 'search-box__option'}
                    data-kind={s.kind}
                    // Keep the focus in the field: the click chooses.
                    onMouseDown={(e) => e.preventDefault()}
                    onMouseMove={() => setActive(i)}
                    onClick={() => choose(s)}
                  >
                    <span className="search-box__option-text">{s.text}</span>
                    {s.extra && <span className="search-box__option-extra">{s.extra}</span>}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
      <button type="submit" className="search-box__button" aria-label={variant === 'header' ? t('search.submit') : undefined}>
        {variant === 'header' ? <span className="search-box__icon" aria-hidden="true" /> : t('search.submit')}
      </button>
      <p className="visually-hidden" role="status" aria-live="polite">
        {expanded ? t('search.suggestionCount', { count: ordered.length }) : ''}
      </p>
    </form>
  );
}
