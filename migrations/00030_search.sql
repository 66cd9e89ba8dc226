-- Product search on PostgreSQL (internal/search/pgsearch), the default
-- engine, and the synonym groups both engines apply.
--
-- search_documents is the engine's own projection of the public catalog,
-- written only by the indexer from search.Document values (doc holds the
-- document as the API returns it). Text is folded with fold_vi and reduced
-- to [a-z0-9] words, the same way the engine folds a query in Go (geo.Fold),
-- so that "nuoc mam", "nước mắm" and "NƯỚC MẮM" meet.
--
-- search_terms is the vocabulary of the index, for typo tolerance: a query
-- word that is not in it is replaced by its nearest terms (pg_trgm). Terms
-- are only added; a stale term matches nothing and costs nothing.
--
-- search_rank is the narrow projection candidates are found in, and
-- search_suggestions the prefix keys of instant suggestions; the engine
-- keeps both with search_documents.

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
    -- tsv_full is every field: A name, B keywords, C cooperative and
    -- places, D description. A query consults it only when the narrow
    -- search_rank.tsv finds fewer documents than the engine's candidate
    -- cap, in the same statement.
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
    -- in_stock comes from the document, so that the engine's upsert need
    -- not list it.
    in_stock           boolean GENERATED ALWAYS AS (coalesce((doc->>'in_stock')::boolean, false)) STORED,
    product_created_at timestamptz NOT NULL,
    -- static_rank orders candidates before the exact score: stars, stock
    -- and recency, computed by the engine (pgsearch.staticRank).
    static_rank        real NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
)
-- Short rows, so that scoring the best candidates and a fall-through to
-- tsv_full read few pages: a row above the TOAST threshold (~2 kB, most of
-- them) has its long values (doc, description, tsv_full) compressed or
-- moved to TOAST down to 256 bytes.
WITH (toast_tuple_target = 256);
CREATE INDEX search_documents_tsv_full_idx ON search_documents USING gin (tsv_full);
CREATE INDEX search_documents_province_idx ON search_documents (province);
CREATE INDEX search_documents_group_idx ON search_documents (group_slug);
CREATE INDEX search_documents_coop_idx ON search_documents (cooperative_slug);

-- search_rank is the narrow copy of search_documents that queries find
-- and order their candidates in: the small tsvector (A name, B keywords,
-- C cooperative and places; no description), the static rank and the
-- filter and facet columns, ~200 bytes a row, so that a common word's
-- thousands of matches read few pages. The engine writes it from
-- search_documents in the same transaction.
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
    product_created_at timestamptz NOT NULL
);
CREATE INDEX search_rank_tsv_idx ON search_rank USING gin (tsv);
CREATE INDEX search_rank_static_idx ON search_rank (static_rank DESC, id);
CREATE INDEX search_rank_province_idx ON search_rank (province, static_rank DESC);
CREATE INDEX search_rank_group_idx ON search_rank (group_slug);
CREATE INDEX search_rank_coop_idx ON search_rank (cooperative_slug);
CREATE INDEX search_rank_price_idx ON search_rank (price, id);
CREATE INDEX search_rank_newest_idx ON search_rank (product_created_at DESC, id DESC);
CREATE INDEX search_rank_stars_idx ON search_rank (stars DESC, static_rank DESC, id);

CREATE TABLE search_terms (
    -- In byte order, so that the primary key finds the terms with a prefix
    -- by range whatever the database's collation.
    term       text COLLATE "C" PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_terms_trgm_idx ON search_terms USING gin (term gin_trgm_ops);

-- search_suggestions holds the prefix keys of instant suggestions: a
-- product's folded name (kind product) and its name from the second word
-- (product_rest), a cooperative's name, a province's current and former
-- names. A suggestion is, per kind, an index-only range scan of key_idx
-- (byte order, whatever the collation) that keeps the best ranks (top-N
-- sort of (rank, id) only), then reads those few rows: no scan of all
-- documents, and no walk of a rank index that a rare prefix would make
-- long. A province's products are its best ones in search_rank
-- (province, static_rank).
CREATE TABLE search_suggestions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('product', 'product_rest', 'cooperative', 'province')),
    slug       text NOT NULL,
    key        text COLLATE "C" NOT NULL,
    text       text NOT NULL,
    extra      text NOT NULL DEFAULT '',
    -- rank: a product's static rank; a cooperative's or a province's
    -- number of products.
    rank       real NOT NULL DEFAULT 0,
    doc_id     uuid REFERENCES search_documents (id) ON DELETE CASCADE, -- products only
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_suggestions_key_idx ON search_suggestions (kind, key) INCLUDE (rank, id);
CREATE INDEX search_suggestions_doc_idx ON search_suggestions (doc_id);

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
DROP TABLE search_rank;
DROP TABLE search_documents;
DROP FUNCTION search_words(text);
