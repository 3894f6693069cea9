"""The JSON report (its schema: ``report/schema.json``, docs/json-output.md): one
record per problem, ``functions`` naming the functions it affects."""

import json
from typing import Any

from theanolint.protocol import summary_dict


def render(report: Any) -> str:
    result = report.result
    document = {
        "target": report.target,
        "device": result.device,
        "startup_seconds": result.startup_seconds,
        "functions": [summary_dict(f) for f in result.functions],
        "findings": [f.to_dict() for f in report.problems],
        "frameworks_left_out": report.left_out_problems,
    }
    if result.memory is not None:
        document["memory"] = list(result.memory)
    return json.dumps(document, indent=2) + "\n"
