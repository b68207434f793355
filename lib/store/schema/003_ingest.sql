-- The column mapping each user last imported a kind with, offered again on the next import.
CREATE TABLE import_mappings (
    kind     VARCHAR NOT NULL,
    actor    VARCHAR NOT NULL,
    mapping  VARCHAR NOT NULL,
    saved_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (kind, actor)
);
