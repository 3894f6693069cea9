"""Read ``.theanolint.yaml``: safe YAML, schema validation, errors with file:line.

The YAML is composed into nodes first so every mistake (schema violation,
unknown rule code, duplicate key) can name the line it is on.
"""

import json
import os
from importlib import resources
from typing import Any, Dict, Iterable, Optional, Tuple, cast

import jsonschema
import yaml

from theanolint.workers import limits

CONFIG_NAME = ".theanolint.yaml"
MAX_VALUES = 100_000  # values in one config after alias expansion


class ConfigError(Exception):
    """A configuration mistake; the CLI turns it into exit code 2."""

    def __init__(self, path: str, line: Optional[int], message: str):
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


def schema() -> Dict[str, Any]:
    return cast(Dict[str, Any], json.loads(resources.files("theanolint.config").joinpath("schema.json").read_text()))


def defaults() -> Dict[str, Any]:
    """The configuration an empty file means, taken from the schema."""
    return cast(Dict[str, Any], _apply_defaults({}, schema()))


def find(start: str) -> Optional[str]:
    """The nearest config file at or above ``start``."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, CONFIG_NAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


NEAR_MISSES = (".theanolint.yml", "theanolint.yaml", "theanolint.yml", ".theanolint")


def missing(start: str) -> str:
    """Why no config was found from ``start`` upwards, and what to do (a near-miss name,
    a ``[tool.theanolint]`` table theanolint does not read)."""
    text = f"no {CONFIG_NAME} found from {start} upwards; create one (theanolint init) or pass --config"
    directory = os.path.abspath(start)
    while True:
        for name in NEAR_MISSES:
            if os.path.isfile(os.path.join(directory, name)):
                return f"{text} (found {os.path.join(directory, name)}: the config must be named {CONFIG_NAME})"
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_tool_table(pyproject):
            return (
                f"{text} ({pyproject} has [tool.theanolint], which theanolint does not read: move it to {CONFIG_NAME})"
            )
        parent = os.path.dirname(directory)
        if parent == directory:
            return text
        directory = parent


def _has_tool_table(pyproject: str) -> bool:
    try:
        with open(pyproject, encoding="utf-8") as handle:
            return any(line.strip().startswith("[tool.theanolint") for line in handle)
    except OSError:
        return False


def load(path: str, known_codes: Iterable[str]) -> Dict[str, Any]:
    """Parse, validate and complete the config at ``path``."""
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(path, None, f"not UTF-8 text ({error.reason} at byte {error.start})") from error
    except OSError as error:
        raise ConfigError(path, None, f"cannot read: {error.strerror}") from error
    node, data = _parse(path, text)
    if data is None:
        data = {}
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        keys = list(first.absolute_path)
        if "propertyNames" in first.absolute_schema_path and isinstance(first.instance, str):
            keys.append(first.instance)  # the offending key itself
        elif first.validator == "additionalProperties" and first.instance is not None:
            extra = sorted(set(first.instance) - set(first.schema.get("properties", {})))
            if extra:
                keys.append(extra[0])
        where = ".".join(str(k) for k in keys) or "top level"
        raise ConfigError(path, _line_of(node, keys), f"{where}: {_explain(first)}")
    codes = list(known_codes)
    for key in data.get("rules", {}):
        if not any(code.startswith(key) for code in codes):
            raise ConfigError(path, _line_of(node, ["rules", key]), f"rules.{key}: unknown rule code or prefix {key!r}")
    for key in ("select", "extend_select", "ignore"):
        for index, selector in enumerate(data.get(key, [])):
            if not any(code.startswith(selector) for code in codes):
                raise ConfigError(
                    path, _line_of(node, [key, index]), f"{key}: unknown rule code or prefix {selector!r}"
                )
    for pattern, ignored in data.get("per_file_ignores", {}).items():
        for index, key in enumerate(ignored):
            if not any(code.startswith(key) for code in codes):
                raise ConfigError(
                    path,
                    _line_of(node, ["per_file_ignores", pattern, index]),
                    f"per_file_ignores.{pattern}: unknown rule code or prefix {key!r}",
                )
    problem = limits.check_worker_memory(data.get("worker_memory", "auto"))
    if problem:
        raise ConfigError(path, _line_of(node, ["worker_memory"]), f"worker_memory: {problem}")
    config: Dict[str, Any] = _apply_defaults(data, schema())
    folder = os.path.dirname(os.path.abspath(path))
    config["root"] = os.path.normpath(os.path.join(folder, config["root"]))
    if config.get("baseline"):
        config["baseline"] = os.path.normpath(os.path.join(folder, config["baseline"]))
    config["path"] = path
    return config


def check_value(keys: Iterable[str], value: Any, where: str) -> Any:
    """Validate one value given outside the file (a command-line override)."""
    node_schema = schema()
    for key in keys:
        node_schema = node_schema["properties"][key]
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(node_schema).iter_errors(value))
    if error is not None:
        raise ConfigError(where, None, _explain(error))
    return value


def _explain(error: Any) -> str:
    if error.validator == "oneOf" and list(error.absolute_path)[:1] == ["rules"]:
        inside = [e for e in error.context if len(e.relative_path) or e.validator == "additionalProperties"]
        if isinstance(error.instance, dict) and inside:  # a mapping: say what is wrong in it
            deepest = max(inside, key=lambda e: len(e.absolute_path))
            if deepest.validator == "additionalProperties":
                known = ", ".join(sorted(deepest.schema.get("properties", {})))
                return f"{deepest.message}; known: {known}"
            return f"{'.'.join(map(str, deepest.relative_path)) or 'the mapping'}: {deepest.message}"
        return (
            f"{error.instance!r} is not false, a severity (error, warning, off) or a mapping "
            "of enabled/severity/options"
        )
    if error.validator == "oneOf":  # budget, worker_memory
        forms = [
            ", ".join(v if isinstance(v, str) else json.dumps(v) for v in branch["enum"])
            for branch in error.validator_value
            if "enum" in branch
        ]
        return f"{error.instance!r} is not {' or '.join(forms + ['a size (bytes, or like 8GiB)'])}"
    if error.validator == "propertyNames":
        return f"{error.instance!r} has a key that is not allowed here"
    return cast(str, error.message)


def _parse(path: str, text: str) -> Tuple[Any, Any]:
    try:
        loader = yaml.SafeLoader(text)  # its reader already refuses unprintable characters
    except yaml.YAMLError as error:
        raise ConfigError(path, None, f"invalid YAML: {error}") from error
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        if _expanded_size(node, {}) > MAX_VALUES:
            raise ConfigError(
                path,
                node.start_mark.line + 1,
                f"the document expands to more than {MAX_VALUES} values (anchors and aliases); a config is far smaller",
            )
        _check_duplicates(path, node)
        return node, loader.construct_document(node)
    except RecursionError:
        raise ConfigError(path, None, "the document is nested too deeply") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(path, line, f"invalid YAML: {error.problem or error}") from error
    except yaml.YAMLError as error:
        raise ConfigError(path, None, f"invalid YAML: {error}") from error
    finally:
        loader.dispose()


def _expanded_size(node: Any, sizes: Dict[int, int]) -> int:
    """How many values the document holds once aliases are expanded, without expanding."""
    if id(node) not in sizes:
        sizes[id(node)] = 0  # a recursive alias counts once
        children = (
            node.value
            if isinstance(node, yaml.SequenceNode)
            else [n for pair in node.value for n in pair]
            if isinstance(node, yaml.MappingNode)
            else []
        )
        sizes[id(node)] = 1 + sum(_expanded_size(child, sizes) for child in children)
    return sizes[id(node)]


def _check_duplicates(path: str, node: Any) -> None:
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise ConfigError(path, key.start_mark.line + 1, f"duplicate key {key.value!r}")
                seen.add(key.value)
            _check_duplicates(path, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(path, item)


def _line_of(node: Any, keys: Iterable[Any]) -> Optional[int]:
    line = node.start_mark.line + 1 if node is not None else None
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            match = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(key)]
            if not match:
                break
            key_node, node = match[0]
            line = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _apply_defaults(data: Any, node_schema: Dict[str, Any]) -> Any:
    if node_schema.get("type") != "object" or not isinstance(data, dict):
        return data
    result = dict(data)
    for key, sub in node_schema.get("properties", {}).items():
        if key not in result and "default" in sub:
            result[key] = json.loads(json.dumps(sub["default"]))
        if key in result:
            result[key] = _apply_defaults(result[key], sub)
    return result
