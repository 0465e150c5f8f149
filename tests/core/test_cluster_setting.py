"""Where runs happen is one setting: --cluster, the config file's ``cluster`` and Settings.cluster."""

from __future__ import annotations

import pytest

from core import config
from core.cli.args import build_parser
from core.cli.settings import settings_from_args
from core.settings import Settings


def _file(tmp_path, text: str):
    path = tmp_path / "fetchlens.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_config_file_names_the_cluster(tmp_path) -> None:
    assert config.load(_file(tmp_path, 'cluster = "local:3"\n')).cluster == "local:3"
    assert config.load(_file(tmp_path, 'cluster = ""\n')).cluster == ""
    assert config.load(_file(tmp_path, 'robots = "obey"\n')).cluster is None
    with pytest.raises(config.ConfigError, match="cluster"):
        config.load(_file(tmp_path, 'cluster = "local:0"\n'))
    with pytest.raises(config.ConfigError, match="cluster must be a string"):
        config.load(_file(tmp_path, "cluster = 4\n"))


def test_the_command_line_wins_over_the_file_and_the_file_over_the_base(tmp_path) -> None:
    path = str(_file(tmp_path, 'cluster = "tcp://10.0.0.5:8786"\n'))
    parse = build_parser().parse_args
    assert settings_from_args(parse(["--config", path, "u.txt"])).cluster == "tcp://10.0.0.5:8786"
    assert settings_from_args(parse(["--config", path, "--cluster", "local:2", "u.txt"])).cluster == "local:2"
    assert settings_from_args(parse(["--config", path, "--cluster", "", "u.txt"])).cluster == ""  # this computer
    window = Settings(cluster="local:4")  # e.g. the window's remembered setting
    assert settings_from_args(parse(["u.txt"]), window).cluster == "local:4"


def test_a_bad_address_is_a_settings_problem() -> None:
    assert Settings(cluster="local:2").validate() == []
    assert Settings(cluster="tcp://h:1").validate() == []
    assert any("local:N" in p for p in Settings(cluster="local:none").validate())
