"""The schema, as numbered migrations: each runs once, in one transaction with its row in
``schema_migrations``.  Never edit a released migration: add a new one."""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "companies",
        """
        CREATE SEQUENCE company_id_seq;
        CREATE TABLE companies (
            id INTEGER PRIMARY KEY DEFAULT nextval('company_id_seq'),
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,      -- lower(name): names are unique case-insensitively
            url TEXT NOT NULL,
            added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            notes TEXT
        );
        CREATE TABLE boards (                   -- ATS job boards of a company
            company_id INTEGER NOT NULL,
            source TEXT NOT NULL,               -- a name in sources.registry
            board TEXT NOT NULL,                -- token / site / slug / host
            origin TEXT NOT NULL,               -- 'user' or 'detected' (found on a crawled page)
            added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY (company_id, source, board)
        );
        """,
    ),
    (
        2,
        "crawl",
        """
        CREATE SEQUENCE page_id_seq;
        CREATE TABLE pages (
            id INTEGER PRIMARY KEY DEFAULT nextval('page_id_seq'),
            company_id INTEGER NOT NULL,
            url TEXT NOT NULL,                  -- requested URL, normalised
            final_url TEXT,                     -- after redirects
            status INTEGER,                     -- HTTP status; NULL when no response
            fetched_at TIMESTAMPTZ NOT NULL,
            content_type TEXT,
            etag TEXT,
            last_modified TEXT,
            sha256 TEXT,                        -- of the decoded body
            body BLOB,                          -- zlib-compressed UTF-8 text
            error TEXT,                         -- why this page failed or was skipped
            depth INTEGER,
            link_text TEXT,
            UNIQUE (company_id, url)
        );
        CREATE SEQUENCE crawl_run_id_seq;
        CREATE TABLE crawl_runs (
            id INTEGER PRIMARY KEY DEFAULT nextval('crawl_run_id_seq'),
            company_id INTEGER NOT NULL,
            started_at TIMESTAMPTZ NOT NULL,
            finished_at TIMESTAMPTZ,
            fetched INTEGER, unchanged INTEGER, skipped INTEGER, robots INTEGER, failed INTEGER,
            postings INTEGER,
            seconds DOUBLE,
            error TEXT
        );
        """,
    ),
    (
        3,
        "extraction",
        """
        CREATE TABLE documents (
            page_id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL,               -- the page content this was extracted from
            title TEXT, description TEXT, lang TEXT, canonical TEXT,
            published DATE,
            kind TEXT, kind_confidence DOUBLE,
            text TEXT,
            json_ld TEXT,                       -- JSON array of the page's JSON-LD objects
            extracted_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE SEQUENCE passage_id_seq;
        CREATE TABLE passages (
            id INTEGER PRIMARY KEY DEFAULT nextval('passage_id_seq'),
            page_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            heading TEXT,                       -- heading path, "Our values > Customer obsession"
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL                -- of text: the embedding cache key
        );
        CREATE INDEX passages_page ON passages (page_id);
        """,
    ),
    (
        4,
        "postings",
        """
        CREATE SEQUENCE posting_id_seq;
        CREATE TABLE postings (
            id INTEGER PRIMARY KEY DEFAULT nextval('posting_id_seq'),
            company_id INTEGER NOT NULL,
            source TEXT NOT NULL,
            source_id TEXT NOT NULL,
            board TEXT,
            title TEXT NOT NULL,
            department TEXT,
            locations TEXT,                     -- JSON array
            workplace TEXT,                     -- remote / hybrid / on-site
            employment_type TEXT,
            seniority TEXT,
            posted_at TIMESTAMPTZ,
            updated_at TIMESTAMPTZ,
            url TEXT,
            apply_url TEXT,
            description TEXT,
            description_html TEXT,              -- sanitised
            salary_min DOUBLE, salary_max DOUBLE, salary_currency TEXT, salary_interval TEXT,
            salary_origin TEXT,                 -- 'structured' (feed field) or 'text'
            requirements TEXT,                  -- JSON array of bullet strings
            responsibilities TEXT,              -- JSON array
            skills TEXT,                        -- JSON array
            raw TEXT,                           -- the source record, JSON
            content_hash TEXT,
            status TEXT NOT NULL,               -- open / closed
            first_seen TIMESTAMPTZ NOT NULL,
            last_seen TIMESTAMPTZ NOT NULL,
            closed_at TIMESTAMPTZ,
            UNIQUE (company_id, source, source_id)
        );
        CREATE SEQUENCE source_fetch_id_seq;
        CREATE TABLE source_fetches (
            id INTEGER PRIMARY KEY DEFAULT nextval('source_fetch_id_seq'),
            company_id INTEGER NOT NULL,
            source TEXT NOT NULL,
            board TEXT NOT NULL,
            fetched_at TIMESTAMPTZ NOT NULL,
            postings INTEGER,
            error TEXT
        );
        """,
    ),
    (
        5,
        "values",
        """
        CREATE TABLE embeddings (               -- nothing is embedded twice
            model TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            vector FLOAT[] NOT NULL,            -- L2-normalised
            PRIMARY KEY (model, sha256)
        );
        CREATE TABLE culture_profiles (
            company_id INTEGER NOT NULL,
            model TEXT NOT NULL,
            inputs_hash TEXT NOT NULL,          -- passages + taxonomy: recompute when it changes
            computed_at TIMESTAMPTZ NOT NULL,
            profile TEXT NOT NULL,              -- JSON
            PRIMARY KEY (company_id, model)
        );
        """,
    ),
    (
        6,
        "interviews",
        """
        CREATE SEQUENCE interview_id_seq;
        CREATE TABLE interviews (
            id INTEGER PRIMARY KEY DEFAULT nextval('interview_id_seq'),
            company_id INTEGER NOT NULL,
            date DATE NOT NULL,
            role TEXT,
            outcome TEXT NOT NULL,
            feedback TEXT,
            questions_hash TEXT NOT NULL,
            covered_share DOUBLE,
            report TEXT,                        -- JSON gap report as shown
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE TABLE interview_questions (
            interview_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            question TEXT NOT NULL,
            category TEXT NOT NULL,
            covered BOOLEAN NOT NULL,
            similarity DOUBLE,
            PRIMARY KEY (interview_id, position)
        );
        """,
    ),
    (
        7,
        "classifier weights",
        """
        CREATE TABLE classifiers (              -- the trained values classifier, so commands
            key TEXT PRIMARY KEY,               -- need not import scikit-learn and retrain:
            classes TEXT NOT NULL,              -- key = model id + taxonomy + settings
            coef BLOB NOT NULL,                 -- float64 (classes x dimensions)
            intercept BLOB NOT NULL,            -- float64 (classes)
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        """,
    ),
    (
        8,
        "classifier word model",
        """
        ALTER TABLE classifiers ADD COLUMN lexical BLOB;  -- the word model (numpy .npz)
        """,
    ),
    (
        9,
        "question coverage",
        """
        ALTER TABLE interview_questions ADD COLUMN coverage TEXT;  -- covered/partly/not/about you
        """,
    ),
    (
        10,
        "practice",
        """
        CREATE SEQUENCE practice_run_id_seq;
        CREATE TABLE practice_runs (            -- fitbrief practice: answers typed and scored
            id INTEGER PRIMARY KEY DEFAULT nextval('practice_run_id_seq'),
            company_id INTEGER NOT NULL,
            practised_at TIMESTAMPTZ NOT NULL,
            role TEXT
        );
        CREATE TABLE practice_answers (
            run_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            question TEXT NOT NULL,
            star_parts INTEGER NOT NULL,        -- STAR parts present, 0-4
            words INTEGER NOT NULL,
            quantified BOOLEAN NOT NULL,
            score TEXT NOT NULL,                -- JSON: the answer as scored
            PRIMARY KEY (run_id, position)
        );
        """,
    ),
    (
        11,
        "practice answers by part",
        # The four STAR parts and the time taken as columns (progress per part can be read in
        # SQL), instead of a parts count beside a JSON copy of the whole answer.
        """
        CREATE TABLE practice_answers_new (
            run_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            question TEXT NOT NULL,
            situation BOOLEAN NOT NULL,         -- the STAR parts the answer has
            task BOOLEAN NOT NULL,
            action BOOLEAN NOT NULL,
            result BOOLEAN NOT NULL,
            quantified BOOLEAN NOT NULL,        -- its result states a number
            words INTEGER NOT NULL,
            seconds DOUBLE,                     -- time taken (typed answers)
            PRIMARY KEY (run_id, position)
        );
        INSERT INTO practice_answers_new
            SELECT run_id, position, question,
                   json_extract(score, '$.star.situation')::BOOLEAN,
                   json_extract(score, '$.star.task')::BOOLEAN,
                   json_extract(score, '$.star.action')::BOOLEAN,
                   json_extract(score, '$.star.result')::BOOLEAN,
                   quantified, words,
                   TRY_CAST(json_extract_string(score, '$.seconds') AS DOUBLE)
            FROM practice_answers;
        DROP TABLE practice_answers;
        ALTER TABLE practice_answers_new RENAME TO practice_answers;
        """,
    ),
]
