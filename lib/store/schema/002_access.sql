-- Who may sign in and with which role: an email or a group claim maps to a role.
CREATE TABLE role_map (
    principal  VARCHAR PRIMARY KEY,
    role       VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    changed_by VARCHAR
);
