-- The postgres search engine answers queries from an index it keeps in
-- memory, built from search_documents and kept current by reading what
-- changed since the version it holds (internal/search/pgsearch, index.go
-- and mirror.go). A common word's thousands of matches no longer go
-- through a GIN bitmap scan and a sort on every search.
--
-- Every write of the index takes one advisory lock (pgsearch.indexLock)
-- before it changes anything and stamps what it writes from
-- search_version_seq: versions then become visible in the order they were
-- taken, so an instance that has read everything up to version v misses
-- nothing by reading "version > v" next. A deleted document leaves a
-- tombstone in search_deletions; search_state.epoch changes when a
-- rebuild replaces the whole index, and search_state.pruned says up to
-- which version tombstones were forgotten (an instance behind it loads
-- the whole index again).
--
-- search_rank, the narrow table that queries found candidates in, the GIN
-- index over tsv_full and search_terms (the vocabulary for typos, now the
-- in-memory index's own, with pg_trgm's similarity computed there) go:
-- nothing queries them any more.

-- +goose Up
CREATE SEQUENCE search_version_seq;
ALTER TABLE search_documents ADD COLUMN version bigint NOT NULL DEFAULT nextval('search_version_seq');
ALTER TABLE search_documents ALTER COLUMN version DROP DEFAULT;
CREATE INDEX search_documents_version_idx ON search_documents (version);

CREATE TABLE search_deletions (
    doc_id     uuid PRIMARY KEY,
    version    bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_deletions_version_idx ON search_deletions (version);
CREATE INDEX search_deletions_created_idx ON search_deletions (created_at);

CREATE TABLE search_state (
    id         boolean PRIMARY KEY DEFAULT true CHECK (id),
    epoch      bigint NOT NULL DEFAULT 1,
    pruned     bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO search_state DEFAULT VALUES;

-- A province's best products, for suggestions, now come from
-- search_documents.
CREATE INDEX search_documents_province_rank_idx ON search_documents (province, static_rank DESC);
DROP INDEX search_documents_province_idx;
DROP INDEX search_documents_group_idx;
DROP INDEX search_documents_tsv_full_idx;

-- search_suggest_keys returns at most a few dozen keys: said so, the
-- generic plan of search_suggest fetches each key's row by its id, where
-- PostgreSQL's guess of 1,000 rows had it scan every suggestion (200,000
-- at 100,000 products) on some statistics.
ALTER FUNCTION search_suggest_keys(text, text, text, int) ROWS 10;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_suggest(p_lo text, p_hi text, p_products int, p_others int)
    RETURNS TABLE (kind text, text text, slug text, extra text)
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH keys AS MATERIALIZED (
        SELECT k.id, 1 AS part, k.rank FROM search_suggest_keys('product', p_lo, p_hi, p_products) k
        UNION ALL
        SELECT k.id, 2, k.rank FROM search_suggest_keys('product_rest', p_lo, p_hi, p_products) k
        UNION ALL
        (SELECT s.id, 4, s.rank FROM search_suggestions s
         WHERE s.kind = 'province' AND s.key >= p_lo AND s.key < p_hi ORDER BY s.rank DESC, s.id LIMIT 2 * p_others)
        UNION ALL
        SELECT k.id, 5, k.rank FROM search_suggest_keys('cooperative', p_lo, p_hi, p_others) k
    ), s AS MATERIALIZED (
        SELECT k.part, k.rank, s.kind, s.text, s.slug, s.extra
        FROM keys k JOIN search_suggestions s ON s.id = k.id
    )
    SELECT CASE WHEN x.part < 4 THEN 'product' ELSE x.kind END, x.text, x.slug, x.extra
    FROM (
        SELECT s.part, s.rank, s.kind, s.text, s.slug, s.extra FROM s
        UNION ALL
        -- A product's own suggestion row holds what a suggestion shows.
        (SELECT 3, r.static_rank, 'product', ps.text, ps.slug, ps.extra
         FROM (SELECT DISTINCT s.slug FROM s WHERE s.part = 4) p
         CROSS JOIN LATERAL (SELECT r.id, r.static_rank FROM search_documents r WHERE r.province = p.slug
                             ORDER BY r.static_rank DESC LIMIT p_products) r
         JOIN search_suggestions ps ON ps.doc_id = r.id AND ps.kind = 'product'
         ORDER BY r.static_rank DESC
         LIMIT p_products)
    ) x
    ORDER BY x.part, x.rank DESC;
END
$$;
-- +goose StatementEnd

DROP TABLE search_rank;
DROP TABLE search_terms;

-- +goose Down
ALTER FUNCTION search_suggest_keys(text, text, text, int) ROWS 1000;
CREATE TABLE search_terms (
    term       text COLLATE "C" PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_terms_trgm_idx ON search_terms USING gin (term gin_trgm_ops);
INSERT INTO search_terms (term)
SELECT DISTINCT t.term
FROM search_documents d, unnest(tsvector_to_array(d.tsv_full)) AS t(term);

CREATE TABLE search_rank (
    id                 uuid PRIMARY KEY REFERENCES search_documents (id) ON DELETE CASCADE,
    tsv                tsvector NOT NULL,
    static_rank        real NOT NULL,
    province           text NOT NULL,
    group_slug         text NOT NULL,
    stars              smallint NOT NULL,
    certifications     text[] NOT NULL,
    cooperative_slug   text NOT NULL,
    season_months      smallint[] NOT NULL,
    price              bigint NOT NULL,
    in_stock           boolean NOT NULL,
    product_created_at timestamptz NOT NULL,
    cooperative_name   text NOT NULL DEFAULT ''
);
INSERT INTO search_rank (id, tsv, static_rank, province, group_slug, stars, certifications, cooperative_slug,
                         season_months, price, in_stock, product_created_at, cooperative_name)
SELECT d.id,
       setweight(to_tsvector('simple'::regconfig, d.name_folded), 'A') ||
       setweight(to_tsvector('simple'::regconfig, search_words(d.keywords)), 'B') ||
       setweight(to_tsvector('simple'::regconfig, search_words(d.cooperative_name || ' ' || d.places)), 'C'),
       d.static_rank, d.province, d.group_slug, d.stars, d.certifications, d.cooperative_slug,
       d.season_months, d.price, d.in_stock, d.product_created_at, d.cooperative_name
FROM search_documents d;
CREATE INDEX search_rank_tsv_idx ON search_rank USING gin (tsv);
CREATE INDEX search_rank_static_idx ON search_rank (static_rank DESC, id);
CREATE INDEX search_rank_province_idx ON search_rank (province, static_rank DESC);
CREATE INDEX search_rank_group_idx ON search_rank (group_slug);
CREATE INDEX search_rank_coop_idx ON search_rank (cooperative_slug);
CREATE INDEX search_rank_price_idx ON search_rank (price, id);
CREATE INDEX search_rank_newest_idx ON search_rank (product_created_at DESC, id DESC);
CREATE INDEX search_rank_stars_idx ON search_rank (stars DESC, static_rank DESC, id);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_suggest(p_lo text, p_hi text, p_products int, p_others int)
    RETURNS TABLE (kind text, text text, slug text, extra text)
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH keys AS MATERIALIZED (
        SELECT k.id, 1 AS part, k.rank FROM search_suggest_keys('product', p_lo, p_hi, p_products) k
        UNION ALL
        SELECT k.id, 2, k.rank FROM search_suggest_keys('product_rest', p_lo, p_hi, p_products) k
        UNION ALL
        (SELECT s.id, 4, s.rank FROM search_suggestions s
         WHERE s.kind = 'province' AND s.key >= p_lo AND s.key < p_hi ORDER BY s.rank DESC, s.id LIMIT 2 * p_others)
        UNION ALL
        SELECT k.id, 5, k.rank FROM search_suggest_keys('cooperative', p_lo, p_hi, p_others) k
    ), s AS MATERIALIZED (
        SELECT k.part, k.rank, s.kind, s.text, s.slug, s.extra
        FROM keys k JOIN search_suggestions s ON s.id = k.id
    )
    SELECT CASE WHEN x.part < 4 THEN 'product' ELSE x.kind END, x.text, x.slug, x.extra
    FROM (
        SELECT s.part, s.rank, s.kind, s.text, s.slug, s.extra FROM s
        UNION ALL
        (SELECT 3, r.static_rank, 'product', ps.text, ps.slug, ps.extra
         FROM (SELECT DISTINCT s.slug FROM s WHERE s.part = 4) p
         CROSS JOIN LATERAL (SELECT r.id, r.static_rank FROM search_rank r WHERE r.province = p.slug
                             ORDER BY r.static_rank DESC LIMIT p_products) r
         JOIN search_suggestions ps ON ps.doc_id = r.id AND ps.kind = 'product'
         ORDER BY r.static_rank DESC
         LIMIT p_products)
    ) x
    ORDER BY x.part, x.rank DESC;
END
$$;
-- +goose StatementEnd

CREATE INDEX search_documents_tsv_full_idx ON search_documents USING gin (tsv_full);
CREATE INDEX search_documents_group_idx ON search_documents (group_slug);
CREATE INDEX search_documents_province_idx ON search_documents (province);
DROP INDEX search_documents_province_rank_idx;
DROP TABLE search_state;
DROP TABLE search_deletions;
DROP INDEX search_documents_version_idx;
ALTER TABLE search_documents DROP COLUMN version;
DROP SEQUENCE search_version_seq;
