-- Foundations for Vietnamese text matching, used by province lookup now and
-- product search later: accent folding and trigram similarity.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- fold_vi lowercases and strips Vietnamese tone and vowel marks, folding đ/Đ
-- to d, so "Bắc Giang", "bac giang" and "BẮC GIANG" compare equal. unaccent()
-- is only STABLE (its dictionary could change), so this wrapper names the
-- dictionary explicitly and is declared IMMUTABLE to be usable in indexes and
-- generated columns.
-- +goose StatementBegin
CREATE FUNCTION fold_vi(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(translate(public.unaccent('public.unaccent'::regdictionary, $1), 'đĐ', 'dD'));
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION fold_vi(text);
DROP EXTENSION IF EXISTS pg_trgm;
DROP EXTENSION IF EXISTS unaccent;
