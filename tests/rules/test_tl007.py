"""TL007 printed-while-building: a builder wrote to stdout, or a project module did when it was imported."""

RULES = ["TL007"]

BUILDER = """
    import logging
    import os
    import sys

    import theano
    import theano.tensor as T
    import theanolint

    log = logging.getLogger(__name__)


    @theanolint.register(name="mlp.train"){planted}
    def train():
        x = T.matrix("x")
        {output}
        return theano.function([x], T.exp(x))
    """


def _message(harness, output):
    source = BUILDER.format(output=output, planted="  # planted: TL007")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert finding.severity == "warning" and finding.function == "mlp.train"
    assert finding.message.startswith("builder 'mlp.train' wrote ")
    assert finding.message.endswith("; log it instead (theanolint kept it out of its report; -v shows it)")
    return finding.message


def test_doc_example_print(harness):
    message = _message(harness, 'print("parameters:", 12)')
    assert "wrote 1 line(s) to stdout while building, the first: 'parameters: 12'" in message


def test_lines_are_counted_and_the_first_non_empty_one_shown(harness):
    message = _message(harness, r'sys.stdout.write("\n  epoch 1\nepoch 2\n")')
    assert "wrote 3 line(s) to stdout while building, the first: 'epoch 1'" in message


def test_output_of_c_code_to_file_descriptor_1(harness):
    message = _message(harness, r'os.write(1, b"from C\n")')
    assert "the first: 'from C'" in message


def test_long_line_is_shortened(harness):
    source = BUILDER.format(output='print("x" * 300)', planted="  # planted: TL007")
    [finding] = harness.assert_planted(source, rules=RULES)
    assert len(finding.message) < 200 and "...'; log it instead" in finding.message
    assert "the first: 'xxxxxxxxxx" in finding.message and finding.data["first"] == "x" * 300


# What a module prints when it is imported: reported at the print.
AT_IMPORT = """
    import theano
    import theano.tensor as T
    import theanolint


    def banner():
        print("not printed at import")


    print("loading the tutorial")  # planted: TL007
    print("done")


    @theanolint.register(name="tutorial.train")
    def train():
        x = T.matrix("x")
        return theano.function([x], T.exp(x))
    """


def test_output_at_import_is_reported_at_the_print(harness):
    [finding] = harness.assert_planted(AT_IMPORT, rules=RULES)
    assert finding.function == f"import {finding.path[: -len('.py')]}" and finding.data["at_import"] is True
    assert finding.message == (
        f"importing {finding.path} wrote 2 line(s) to stdout, the first: 'loading the tutorial'; "
        "log it instead (theanolint kept it out of its report; -v shows it)"
    )


def test_import_that_prints_nothing_is_quiet(harness):
    source = "\n".join(line for line in AT_IMPORT.splitlines() if not line.startswith('    print("'))
    assert 'print("done")' not in source and 'print("not printed at import")' in source
    harness.assert_quiet(source, rules=RULES)


def test_logging_and_stderr_are_quiet(harness):
    output = 'log.warning("parameters: %d", 12); print("to stderr", file=sys.stderr)'
    harness.assert_quiet(BUILDER.format(output=output, planted=""), rules=RULES)
