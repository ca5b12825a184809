"""M16: unit tests for the data part and for the model/training part."""

from __future__ import annotations

from typing import TYPE_CHECKING

from probes._common import evidence, where
from probes._pysubstance import substance
from probes._pytests import Suite, TestFile, test_suite
from probes._template import is_template_copy
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

DATA_WORDS = ("data", "dataset", "datamodule", "preprocess", "loader")
MODEL_WORDS = ("model", "train", "net", "lightning")
#: A test file named for the role but importing none of its code counts when it checks
#: at least this much (e.g. tests of the processed data files' shapes and counts).
MIN_ASSERTS_WITHOUT_IMPORT = 2


def _touches(tf: TestFile, words: tuple[str, ...]) -> list[tuple[str, int]]:
    return [
        (mod, line)
        for mod, line in tf.project_imports
        if any(w in mod.rsplit(".", 1)[-1].lower() for w in words)
    ]


def _judge(snap: Snapshot, suite: Suite, role: str, words: tuple[str, ...]) -> Observation:
    checked = [
        f"test files pytest collects ({', '.join(suite.patterns)})",
        f"imports of the project's {role} modules (names containing {', '.join(words)})",
    ]
    strong: list[Evidence] = []
    weak: list[Evidence] = []
    for tf in suite.files:
        hits = _touches(tf, words)
        checks = substance(snap, tf.path).checks
        if is_template_copy(snap, tf.path):
            if hits or _stem_has(tf.path, words):
                weak.append(
                    evidence(snap, tf.path, tf.tests[0][1], "the template's stub test, unchanged")
                )
            continue
        if hits:
            mod, line = hits[0]
            why = f"{len(tf.tests)} tests importing {mod}"
            if checks == 0:
                weak.append(evidence(snap, tf.path, line, why + ", but they check nothing"))
            else:
                strong.append(evidence(snap, tf.path, line, f"{why}, {checks} checks"))
        elif _stem_has(tf.path, words):
            _name, line = tf.tests[0]
            why = f"{len(tf.tests)} tests named for {role}, importing none of its modules"
            if checks >= MIN_ASSERTS_WITHOUT_IMPORT:
                # Tests of the data files themselves (shapes, counts) are data tests too.
                strong.append(evidence(snap, tf.path, line, f"{why}; {checks} checks"))
            else:
                weak.append(evidence(snap, tf.path, line, f"{why}; {checks} checks"))
    if strong:
        return found(f"{role} tests: {where(e.path for e in strong)}", strong[:3], checked)
    hollow = [
        evidence(snap, p, None, "named like a test file, but holds no test function")
        for p in suite.empty
        if _stem_has(p, words)
    ] + [
        evidence(snap, p, None, "looks like a test file, but pytest does not collect this name")
        for p in suite.uncollected
        if _stem_has(p, words)
    ]
    if weak:
        return partial(f"{role} tests fall short", (weak + hollow)[:3], checked)
    if not suite.files:
        return missing("no test that pytest would collect", checked, hollow[:3])
    return missing(f"no test touches the {role} code", checked, hollow[:3])


def _stem_has(path: str, words: tuple[str, ...]) -> bool:
    stem = path.rsplit("/", 1)[-1].lower()
    return any(w in stem for w in words)


@probe("M16.data-tests")
def data_tests(snap: Snapshot) -> Observation:
    """Tests that import the project's data code and assert something."""

    return _judge(snap, test_suite(snap), "data", DATA_WORDS)


@probe("M16.model-tests")
def model_tests(snap: Snapshot) -> Observation:
    """Tests that import the project's model or training code and assert something."""

    return _judge(snap, test_suite(snap), "model", MODEL_WORDS)
