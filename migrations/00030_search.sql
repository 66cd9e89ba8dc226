-- Product search on PostgreSQL (internal/search/pgsearch), the default
-- engine, and the synonym groups both engines apply.
--
-- search_documents is the engine's own projection of the public catalog,
-- written only by the indexer from search.Document values (doc holds the
-- document as the API returns it). Text is folded with fold_vi and reduced
-- to [a-z0-9] words, the same way the engine folds a query in Go (geo.Fold),
-- so that "nuoc mam", "nước mắm" and "NƯỚC MẮM" meet. tsv weighs the fields:
-- A name, B keywords, C cooperative and province names (current and
-- former); tsv_full adds D description.
--
-- search_terms is the vocabulary of the index, for typo tolerance: a query
-- word that is not in it is replaced by its nearest terms (pg_trgm). Terms
-- are only added; a stale term matches nothing and costs nothing.
--
-- search_suggestions holds the cooperatives and provinces that have
-- products, for instant suggestions, kept by the indexer.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION search_words(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN btrim(regexp_replace(fold_vi($1), '[^a-z0-9]+', ' ', 'g'));
-- +goose StatementEnd

CREATE TABLE search_documents (
    id                 uuid PRIMARY KEY,
    doc                jsonb NOT NULL,
    name               text NOT NULL,
    -- name_words are the name's words lowercased with their tones, for the
    -- bonus of a tone-exact match.
    name_words         text[] NOT NULL DEFAULT '{}',
    keywords           text NOT NULL DEFAULT '',
    cooperative_name   text NOT NULL DEFAULT '',
    places             text NOT NULL DEFAULT '', -- province name and former names
    description        text NOT NULL DEFAULT '',
    name_folded        text GENERATED ALWAYS AS (search_words(name)) STORED,
    cooperative_folded text GENERATED ALWAYS AS (search_words(cooperative_name)) STORED,
    places_folded      text GENERATED ALWAYS AS (search_words(places)) STORED,
    -- tsv is what queries match and rank on first: name, keywords,
    -- cooperative and places, no description, so that it stays small.
    tsv                tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_words(name)), 'A') ||
        setweight(to_tsvector('simple'::regconfig, search_words(keywords)), 'B') ||
        setweight(to_tsvector('simple'::regconfig, search_words(cooperative_name || ' ' || places)), 'C')
    ) STORED,
    -- tsv_full adds the description (weight D); a query consults it only
    -- when tsv finds fewer documents than the engine's candidate cap.
    tsv_full           tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_words(name)), 'A') ||
        setweight(to_tsvector('simple'::regconfig, search_words(keywords)), 'B') ||
        setweight(to_tsvector('simple'::regconfig, search_words(cooperative_name || ' ' || places)), 'C') ||
        setweight(to_tsvector('simple'::regconfig, search_words(description)), 'D')
    ) STORED,
    province           text NOT NULL,
    group_slug         text NOT NULL,
    stars              smallint NOT NULL DEFAULT 0,
    certifications     text[] NOT NULL DEFAULT '{}',
    cooperative_slug   text NOT NULL,
    season_months      smallint[] NOT NULL DEFAULT '{}',
    price              bigint NOT NULL DEFAULT 0,
    product_created_at timestamptz NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
)
-- Short rows, so that ranking thousands of candidates reads few pages: a
-- row above the TOAST threshold (~2 kB, most of them) has its long values
-- (doc, description, tsv_full) compressed or moved to TOAST down to 256
-- bytes; they are read only for a page of hits.
WITH (toast_tuple_target = 256);
CREATE INDEX search_documents_tsv_idx ON search_documents USING gin (tsv);
CREATE INDEX search_documents_tsv_full_idx ON search_documents USING gin (tsv_full);
CREATE INDEX search_documents_name_trgm_idx ON search_documents USING gin (name_folded gin_trgm_ops);
CREATE INDEX search_documents_coop_trgm_idx ON search_documents USING gin (cooperative_folded gin_trgm_ops);
CREATE INDEX search_documents_name_prefix_idx ON search_documents (name_folded text_pattern_ops);
CREATE INDEX search_documents_province_idx ON search_documents (province);
CREATE INDEX search_documents_group_idx ON search_documents (group_slug);
CREATE INDEX search_documents_coop_idx ON search_documents (cooperative_slug);
CREATE INDEX search_documents_certifications_idx ON search_documents USING gin (certifications);
CREATE INDEX search_documents_season_idx ON search_documents USING gin (season_months);
CREATE INDEX search_documents_price_idx ON search_documents (price, id);
CREATE INDEX search_documents_newest_idx ON search_documents (product_created_at DESC, id DESC);
CREATE INDEX search_documents_stars_idx ON search_documents (stars DESC, id);

CREATE TABLE search_terms (
    -- In byte order, so that the primary key finds the terms with a prefix
    -- by range whatever the database's collation.
    term       text COLLATE "C" PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_terms_trgm_idx ON search_terms USING gin (term gin_trgm_ops);

CREATE TABLE search_suggestions (
    kind       text NOT NULL CHECK (kind IN ('cooperative', 'province')),
    slug       text NOT NULL,
    text       text NOT NULL,
    extra      text NOT NULL DEFAULT '',
    -- match is what a prefix is matched against: the name, and for a
    -- province its former names too.
    match      text NOT NULL,
    tsv        tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_words(match))) STORED,
    doc_count  integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, slug)
);
CREATE INDEX search_suggestions_tsv_idx ON search_suggestions USING gin (tsv);

-- Synonym groups: words shoppers use for the same thing, in every
-- direction. Trade staff edit them through the API.
CREATE TABLE search_synonyms (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    terms      text[] NOT NULL CHECK (cardinality(terms) BETWEEN 2 AND 10),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO search_synonyms (terms) VALUES
    ('{chè,trà}'),
    ('{cà phê,cafe,cafê}'),
    ('{dứa,khóm,thơm}'),
    ('{na,mãng cầu,mãng cầu ta}'),
    ('{lạc,đậu phộng}'),
    ('{ngô,bắp}'),
    ('{hoa quả,trái cây}');

-- The indexer's outbox queue exists from now on, so that no change written
-- after this migration (a seed, an import) waits for a reindex. Products
-- that existed before it need one: htxmarket search reindex.
INSERT INTO outbox_subscriptions (consumer, topic) VALUES
    ('search-index', 'catalog.product.changed'),
    ('search-index', 'cooperative.changed')
ON CONFLICT DO NOTHING;

-- +goose Down
DELETE FROM outbox_pending WHERE consumer = 'search-index';
DELETE FROM outbox_subscriptions WHERE consumer = 'search-index';
DROP TABLE search_synonyms;
DROP TABLE search_suggestions;
DROP TABLE search_terms;
DROP TABLE search_documents;
DROP FUNCTION search_words(text);
