"""Connection details for PostgreSQL's own tools (pg_dump, pg_restore), passed in the environment."""

import os


def postgres_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ]:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env
