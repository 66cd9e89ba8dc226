-- Precision of search (issue 13): a synonym group may name ambiguous
-- terms, which a query for another term of the group does not expand to
-- (dứa and khóm find pineapples, not "Gạo Nàng thơm"), while a query for
-- the ambiguous term itself still expands to the whole group.
--
-- The documents' toned words are read by the postgres engine's in-memory
-- index from the columns it already has (name_words, keywords, places,
-- cooperative_name, description): no new column.

-- +goose Up
ALTER TABLE search_synonyms ADD COLUMN ambiguous text[] NOT NULL DEFAULT '{}'
    CHECK (ambiguous <@ terms);
UPDATE search_synonyms SET ambiguous = '{thơm}', updated_at = now() WHERE terms @> '{thơm}';

-- +goose Down
ALTER TABLE search_synonyms DROP COLUMN ambiguous;
