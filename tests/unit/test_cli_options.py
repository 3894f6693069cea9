"""theanolint.cli.options: --shard, --select/--ignore, the config and the target of a run."""

import argparse

import pytest

from theanolint.cli import options
from theanolint.cli.options import _shard, add_check, codes, load_config
from theanolint.config.loading import CONFIG_NAME, ConfigError, defaults


@pytest.mark.parametrize(
    "text, expected",
    [("1/1", (0, 1)), ("2/4", (1, 4)), ("4/4", (3, 4)), ("1/10", (0, 10)), ("10/10", (9, 10)), ("01/02", (0, 2))],
)
def test_shard(text, expected):
    assert _shard(text) == expected


@pytest.mark.parametrize(
    "text", ["0/4", "5/4", "2", "2/", "/4", "a/b", "-1/4", "2/4/8", "2 /4", "", "0/0", "1.5/4", "2/-4"]
)
def test_bad_shard(text):
    with pytest.raises(argparse.ArgumentTypeError, match=r": use K/N with 1 <= K <= N, e\.g\. 2/4$"):
        _shard(text)


def _parser():
    parser = argparse.ArgumentParser(prog="theanolint")
    add_check(parser)
    return parser


def test_shard_option_through_argparse(capsys):
    args = _parser().parse_args(["--shard", "3/5"])
    assert args.shard == (2, 5)
    assert _parser().parse_args([]).shard is None
    with pytest.raises(SystemExit) as caught:
        _parser().parse_args(["--shard", "6/5"])
    assert caught.value.code == 2
    assert "use K/N with 1 <= K <= N" in capsys.readouterr().err


def test_check_defaults():
    args = _parser().parse_args(["models/a.py", "models"])
    assert args.paths == ["models/a.py", "models"]
    assert (args.format, args.select, args.ignore, args.dim) == ("text", "", "", [])
    assert args.write_baseline is None
    assert _parser().parse_args(["--write-baseline"]).write_baseline is True
    assert _parser().parse_args(["--write-baseline", "b.json"]).write_baseline == "b.json"
    assert _parser().parse_args(["--dim", "a=1", "--dim", "b=2"]).dim == ["a=1", "b=2"]


def test_check_formats_are_the_formatters_in_order():
    action = next(a for a in _parser()._actions if a.dest == "format")
    assert action.choices == ["text", "json", "sarif", "github", "gitlab", "html"]


# --- codes ----------------------------------------------------------------------


def test_codes():
    assert codes("") == []
    assert codes(" , ,") == []
    assert codes("TL101") == ["TL101"]
    assert codes("tl101, TL2 ,tl6") == ["TL101", "TL2", "TL6"]
    assert codes("TL") == ["TL"]


@pytest.mark.parametrize("text, bad", [("TL999", "TL999"), ("TL101,TL9", "TL9"), ("X", "X"), ("TL1010", "TL1010")])
def test_unknown_code_is_a_config_error(text, bad):
    with pytest.raises(ConfigError) as caught:
        codes(text)
    assert str(caught.value) == f"--select/--ignore: unknown rule code {bad!r}"
    assert caught.value.line is None


# --- load_config and target -------------------------------------------------------


def test_load_config_finds_the_nearest_file(tmp_path, monkeypatch):
    (tmp_path / CONFIG_NAME).write_text("target: opencl\n")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    config = load_config(None)
    assert (config["target"], config["root"], config["path"]) == ("opencl", str(tmp_path), str(tmp_path / CONFIG_NAME))


def test_load_config_given_file(tmp_path):
    (tmp_path / "other.yaml").write_text("rules:\n  TL6: off\n")
    assert load_config(str(tmp_path / "other.yaml"))["rules"] == {"TL6": False}
    (tmp_path / "bad.yaml").write_text("rules:\n  TL999: off\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml:2: rules\.TL999"):
        load_config(str(tmp_path / "bad.yaml"))


def test_target_opencl_with_overrides(tmp_path):
    config = defaults()
    config.update(root=str(tmp_path), path=None, theano_flags={"optimizer_excluding": "x"})
    args = argparse.Namespace(virtual="never", cudnn="8.0.5", target="opencl")
    target = options.target(args, config)
    assert (target.kind, target.device, target.virtual) == ("opencl", "opencl0:0", False)
    assert target.extra_flags == {"optimizer_excluding": "x"}
    assert config["cuda"]["virtual"] == "never" and config["cuda"]["cudnn"] == "8.0.5"
    with pytest.raises(ConfigError, match="^--cudnn: "):
        options.target(argparse.Namespace(virtual=None, cudnn="8", target="opencl"), config)


# --- select / ignore from the config and the command line ------------------------


def _selection(config, **flags):
    from theanolint.cli.options import selection

    args = argparse.Namespace(select="", extend_select="", ignore="", extend_ignore="", **{})
    for key, value in flags.items():
        setattr(args, key, value)
    return selection(args, {"rules": {}, **config})


def test_config_select_and_ignore_as_ruff_combines_them():
    assert _selection({"select": ["TL1"], "ignore": ["TL101"]}) == (["TL1"], ["TL101"])
    assert _selection({"select": ["TL1"]}, select="TL2") == (["TL2"], [])  # the command line replaces
    select, ignore = _selection({"select": ["TL1"], "extend_select": ["TL402"]}, extend_ignore="TL6")
    assert select == ["TL1", "TL402"] and ignore == ["TL6"]


def test_extend_select_alone_adds_to_the_rules_the_config_enables():
    select, _ = _selection(
        {"rules": {"TL6": {"enabled": False, "severity": None, "options": {}}}}, extend_select="TL402"
    )
    assert "TL402" in select and "TL101" in select and "TL601" not in select
