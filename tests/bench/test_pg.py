"""The benchmark's own PostgreSQL, configured as docs/DEPLOY.md says (bench/pg.py)."""

from pathlib import Path

from bench import pg

GIB = 1024**3


def test_production_settings_are_sized_to_the_memory():
    settings = pg.production_settings(24 * GIB)
    assert settings["shared_buffers"] == "6144MB"  # a quarter
    assert settings["effective_cache_size"] == "18432MB"  # three quarters
    assert settings["maintenance_work_mem"] == "1536MB"
    assert settings["fsync"] == settings["synchronous_commit"] == "on"
    small = pg.production_settings(4 * GIB)
    assert (small["shared_buffers"], small["maintenance_work_mem"]) == (
        "1024MB",
        "256MB",
    )
    assert pg.production_settings(64 * GIB)["maintenance_work_mem"] == "2048MB"


def test_every_setting_is_given_on_the_server_command_line():
    command = pg.server_command(
        pg.production_settings(8 * GIB), port=54999, data=Path("/x/pg")
    )
    options = command[command.index("-o") + 1]
    assert "-p 54999" in options and "-c listen_addresses=127.0.0.1" in options
    assert "-c shared_buffers=2048MB" in options
    assert "-c random_page_cost=1.1" in options
    assert command[-1] == "start" and command[command.index("-D") + 1] == "/x/pg"


def test_the_documented_settings_are_the_ones_used():
    deploy = (Path(__file__).resolve().parents[2] / "docs" / "DEPLOY.md").read_text()
    for name in pg.production_settings(16 * GIB):
        assert f"`{name}`" in deploy, name


def test_the_server_is_described_from_its_own_database():
    from bench import machine

    url = "postgres://postgres@127.0.0.1:5999/genai_prep_bench?options=-c%20x"
    assert machine.server_url(url) == "postgres://postgres@127.0.0.1:5999/postgres"
