-- Curators' decisions on the values of categorical columns in imported files (department,
-- location, category, kind …): map a value to one already used, keep it as a new value, or
-- reject rows that carry it. Remembered per kind and field and applied on the next import.
CREATE TABLE value_mappings (
    kind      VARCHAR NOT NULL,
    field     VARCHAR NOT NULL,
    value     VARCHAR NOT NULL,
    decision  VARCHAR NOT NULL CHECK (decision IN ('map', 'keep', 'reject')),
    mapped_to VARCHAR,
    actor     VARCHAR,
    saved_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (kind, field, value)
);
