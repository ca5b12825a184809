"""Claim checks for test counts (Q7) and coverage figures (Q8)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from probe_helpers import snapshot_of

from probes.claims_counts import (
    accepted_range,
    check_coverage,
    check_test_count,
    count_tests,
    reads_as_total,
)
from verifier.claims import extract_claims
from verifier.claims.model import Claim
from verifier.engine.registry import claim_check_for
from verifier.findings import ClaimVerdict
from verifier.report.parse import parse_report

TESTS = """\
import pytest

CASES = [1, 2, 3]


def test_one():
    assert True


@pytest.mark.parametrize("x", [1, 2, 3])
@pytest.mark.parametrize("y", (4, 5))
def test_grid(x, y):
    assert x < y


@pytest.mark.parametrize(
    "z",
    [
        1,  # a comment inside the list
        pytest.param(2, id="two"),
    ],
)
def test_params(z):
    assert z


def helper_not_a_test():
    pass


class TestThing:
    def test_method(self):
        assert 1

    def test_other(self):
        assert 2


class Helper:
    def test_not_collected(self):
        pass
"""

EMPTY_REPORT = parse_report("# Report\n")


def _claim(value: object, **kw: object) -> Claim:
    fields: dict[str, object] = {"kind": "test-count", "question": 7, "line": 10, "quote": ""}
    fields.update(kw)
    return Claim(value=value, **fields)  # type: ignore[arg-type]


@pytest.fixture
def suite(tmp_path: Path):
    return snapshot_of(tmp_path, {"tests/test_stuff.py": TESTS, "src/pkg/model.py": "x = 1\n"})


def test_counts_functions_and_literal_parametrize_cases(suite) -> None:
    counts = count_tests(suite)
    # test_one, test_grid, test_params, TestThing.test_method, TestThing.test_other
    assert counts.functions == 5
    # 1 + 3*2 + 2 + 1 + 1
    assert counts.cases == 11
    assert counts.uncountable == []
    assert counts.asserts == 5


def test_a_list_in_a_variable_is_not_countable(tmp_path: Path) -> None:
    snap = snapshot_of(
        tmp_path,
        {
            "tests/test_var.py": (
                "import pytest\nCASES = [1, 2]\n\n"
                "@pytest.mark.parametrize('x', CASES)\ndef test_v(x):\n    pass\n"
            )
        },
    )
    counts = count_tests(snap)
    assert counts.functions == 1
    assert counts.uncountable == [("test_v", 5)]
    assert "not literal" in counts.describe()


def test_respects_python_files_of_pytest_ini(tmp_path: Path) -> None:
    snap = snapshot_of(
        tmp_path,
        {
            "pytest.ini": "[pytest]\npython_files = check_*.py\n",
            "tests/check_a.py": "def test_a():\n    pass\n",
            "tests/test_b.py": "def test_b():\n    pass\n",
        },
    )
    counts = count_tests(snap)
    assert counts.functions == 1
    assert counts.files[0].path == "tests/check_a.py"


def test_exact_claim_matches_function_or_case_count(suite) -> None:
    assert check_test_count(_claim(5), suite, EMPTY_REPORT).verdict is ClaimVerdict.CONSISTENT
    assert check_test_count(_claim(11), suite, EMPTY_REPORT).verdict is ClaimVerdict.CONSISTENT
    result = check_test_count(_claim(8), suite, EMPTY_REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert result.observed == "5 test functions in 1 collected file; 11 cases counting parametrize"
    assert result.evidence[0].path == "tests/test_stuff.py"
    assert result.evidence[0].line == 6
    assert result.evidence[0].text == "def test_one():"


def test_tolerance_of_a_plain_number_is_ten_percent_or_one(suite) -> None:
    assert check_test_count(_claim(6), suite, EMPTY_REPORT).verdict is ClaimVerdict.CONSISTENT
    assert check_test_count(_claim(20), suite, EMPTY_REPORT).verdict is ClaimVerdict.INCONSISTENT


def test_fewer_tests_claimed_than_exist_is_said_not_flagged(suite) -> None:
    result = check_test_count(_claim(3), suite, EMPTY_REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert "more tests than claimed" in result.why
    ceiling = check_test_count(_claim(3, qualifier="at most"), suite, EMPTY_REPORT)
    assert ceiling.verdict is ClaimVerdict.INCONSISTENT


def test_approximately_is_wider(suite) -> None:
    claim = _claim(14, qualifier="approximately")
    assert check_test_count(claim, suite, EMPTY_REPORT).verdict is ClaimVerdict.CONSISTENT
    assert check_test_count(_claim(14), suite, EMPTY_REPORT).verdict is ClaimVerdict.INCONSISTENT


def test_over_is_a_lower_bound(suite) -> None:
    over = _claim(10, qualifier="over")
    assert check_test_count(over, suite, EMPTY_REPORT).verdict is ClaimVerdict.CONSISTENT
    too_many = _claim(20, qualifier="over")
    assert check_test_count(too_many, suite, EMPTY_REPORT).verdict is ClaimVerdict.INCONSISTENT


def test_range_claim(suite) -> None:
    inside = _claim((9, 12), qualifier="range")
    assert check_test_count(inside, suite, EMPTY_REPORT).verdict is ClaimVerdict.CONSISTENT
    outside = _claim((20, 30), qualifier="range")
    assert check_test_count(outside, suite, EMPTY_REPORT).verdict is ClaimVerdict.INCONSISTENT


def test_accepted_range_rules() -> None:
    assert accepted_range(77, None)[:2] == (69, 85)
    assert accepted_range(3, "exactly")[:2] == (2, 4)
    assert accepted_range(40, "approximately")[:2] == (30, 50)
    assert accepted_range(200, "at least")[0] == 200
    assert accepted_range("many", None) is None


def test_part_claim_compared_with_the_file_it_names(tmp_path: Path) -> None:
    snap = snapshot_of(
        tmp_path,
        {
            "tests/test_api.py": "".join(f"def test_{i}():\n    pass\n" for i in range(4)),
            "tests/test_data.py": "".join(f"def test_{i}():\n    pass\n" for i in range(9)),
        },
    )
    good = _claim(4, tags=("part",), quote="the API (test_api.py with 4 tests) and data")
    result = check_test_count(good, snap, EMPTY_REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert result.evidence[0].path == "tests/test_api.py"
    bad = _claim(2, tags=("part",), quote="We have 2 tests in `test_data.py` checking shapes")
    assert check_test_count(bad, snap, EMPTY_REPORT).verdict is ClaimVerdict.INCONSISTENT
    vague = _claim(3, tags=("part",), quote="three tests cover the data part")
    assert check_test_count(vague, snap, EMPTY_REPORT).verdict is ClaimVerdict.UNVERIFIABLE
    larger = _claim(30, tags=("part",), quote="30 tests cover the data part")
    assert check_test_count(larger, snap, EMPTY_REPORT).verdict is ClaimVerdict.INCONSISTENT


def test_claim_matching_the_assert_count_is_said(tmp_path: Path) -> None:
    body = "def test_a():\n" + "    assert 1\n" * 6
    snap = snapshot_of(tmp_path, {"tests/test_a.py": body})
    result = check_test_count(_claim(6), snap, EMPTY_REPORT)
    assert result.verdict is ClaimVerdict.UNVERIFIABLE  # a way of counting, not a false claim
    assert "assert statements, 6" in result.why


def test_load_tests_count_when_the_answer_includes_them(tmp_path: Path) -> None:
    locust = (
        "from locust import HttpUser, task\n\n\nclass User(HttpUser):\n"
        "    @task\n    def root(self):\n        self.client.get('/')\n\n"
        "    @task(3)\n    def predict(self):\n        self.client.post('/predict')\n"
    )
    files = {
        "tests/test_a.py": "def test_a():\n    assert 1\n\n\ndef test_b():\n    assert 2\n",
        "tests/locustfile.py": locust,
    }
    snap = snapshot_of(tmp_path, files)
    with_load = _claim(4, quote="4 tests, including load tests with locust")
    with_load = dataclasses.replace(with_load, sentence=with_load.quote)
    result = check_test_count(with_load, snap, EMPTY_REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert "2 test functions and 2 Locust tasks" in result.why
    plain = check_test_count(_claim(4, quote="we wrote 4 unit tests"), snap, EMPTY_REPORT)
    assert plain.verdict is ClaimVerdict.INCONSISTENT


def test_no_tests_at_all(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"src/a.py": "def test_like():\n    pass\n"})
    result = check_test_count(_claim(3), snap, EMPTY_REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert result.observed == "no test file pytest would collect"


# ------------------------------------------------------------------------ coverage


def _cov(value: object, **kw: object) -> Claim:
    fields: dict[str, object] = {"kind": "coverage-percent", "question": 8, "line": 20}
    fields.update(kw)
    fields.setdefault("quote", "The total code coverage of our code is X%")
    return Claim(value=value, **fields)  # type: ignore[arg-type]


def test_coverage_without_artefact_is_unverifiable(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"src/a.py": "x = 1\n"})
    result = check_coverage(_cov(71.0), snap, EMPTY_REPORT)
    assert result.verdict is ClaimVerdict.UNVERIFIABLE
    assert result.observed == "no coverage artefact"


def test_committed_coverage_xml(tmp_path: Path) -> None:
    xml = '<?xml version="1.0" ?>\n<coverage version="7.4" line-rate="0.83" branch-rate="0">\n'
    snap = snapshot_of(tmp_path, {"coverage.xml": xml + "</coverage>\n"})
    assert check_coverage(_cov(80.0), snap, EMPTY_REPORT).verdict is ClaimVerdict.CONSISTENT
    result = check_coverage(_cov(60.0), snap, EMPTY_REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert result.evidence[0].path == "coverage.xml"
    assert "83.0%" in result.observed


def test_readme_badge(tmp_path: Path) -> None:
    readme = "# P\n![coverage](https://img.shields.io/badge/coverage-45%25-orange)\n"
    snap = snapshot_of(tmp_path, {"README.md": readme})
    result = check_coverage(_cov(90.0), snap, EMPTY_REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert (result.evidence[0].path, result.evidence[0].line) == ("README.md", 2)


def test_fail_under_threshold_is_a_lower_bound(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "p"\n\n[tool.coverage.report]\nfail_under = 80\n'
    snap = snapshot_of(tmp_path, {"pyproject.toml": pyproject})
    below = check_coverage(_cov(50.0), snap, EMPTY_REPORT)
    assert below.verdict is ClaimVerdict.INCONSISTENT
    assert (below.evidence[0].path, below.evidence[0].line) == ("pyproject.toml", 5)
    above = check_coverage(_cov(85.0), snap, EMPTY_REPORT)
    assert above.verdict is ClaimVerdict.UNVERIFIABLE


def test_cov_fail_under_in_a_workflow(tmp_path: Path) -> None:
    wf = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: pytest --cov=src --cov-fail-under=90\n"
    )
    snap = snapshot_of(tmp_path, {".github/workflows/t.yaml": wf})
    result = check_coverage(_cov(40.0), snap, EMPTY_REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert result.evidence[0].line == 6


def test_two_totals_in_one_answer_conflict(tmp_path: Path) -> None:
    report = parse_report(
        "### Question 8\n\n> **What is the total code coverage?**\n>\n> Answer:\n\n"
        "The total coverage of the project is 39%. In reality we only get 13% coverage.\n"
    )
    snap = snapshot_of(tmp_path, {"src/a.py": "x = 1\n"})
    claims = [c for c in extract_claims(report) if c.kind == "coverage-percent"]
    assert {c.value for c in claims} == {39.0, 13.0}
    assert all("conflict" in c.tags for c in claims)
    result = check_coverage(claims[0], snap, report)
    assert result.verdict is ClaimVerdict.UNVERIFIABLE  # the answer contradicts itself
    assert "two different total coverage figures" in result.why
    assert [e.path for e in result.evidence] == ["reports/README.md", "reports/README.md"]
    # a committed coverage report tells which of the two holds
    measured = snapshot_of(
        tmp_path / "m", {"src/a.py": "x = 1\n", "coverage.xml": '<coverage line-rate="0.13">\n'}
    )
    by_value = {c.value: check_coverage(c, measured, report).verdict for c in claims}
    assert by_value == {39.0: ClaimVerdict.INCONSISTENT, 13.0: ClaimVerdict.CONSISTENT}


def test_hypothetical_hundred_percent_is_not_a_total() -> None:
    assert not reads_as_total(_cov(100.0, quote="A coverage of 100% means that all lines run"))
    assert not reads_as_total(_cov(82.0, quote="(model.py: 82%, train.py: 83%)"))
    assert reads_as_total(_cov(67.0, quote="the overall statement coverage is 67%"))


def test_checkers_are_registered() -> None:
    assert claim_check_for("test-count").func is check_test_count
    assert claim_check_for("coverage-percent").func is check_coverage


def test_tests_pytest_never_collects_are_named(tmp_path: Path) -> None:
    snap = snapshot_of(
        tmp_path,
        {
            "tests/test_a.py": "".join(f"def test_{i}():\n    pass\n" for i in range(4)),
            "tests/_test_api.py": "def test_x():\n    pass\n\ndef test_y():\n    pass\n",
        },
    )
    result = check_test_count(_claim(6), snap, EMPTY_REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert "2 sit in files pytest does not collect" in result.why
    assert "tests/_test_api.py" in result.observed
    more = check_test_count(_claim(1), snap, EMPTY_REPORT)
    assert "more tests than claimed" in more.why


def test_part_claim_naming_an_area(tmp_path: Path) -> None:
    snap = snapshot_of(
        tmp_path,
        {
            "tests/test_data.py": "".join(f"def test_{i}():\n    pass\n" for i in range(3)),
            "tests/test_model.py": "".join(f"def test_{i}():\n    pass\n" for i in range(5)),
        },
    )
    data = _claim(3, tags=("part",), quote="Three tests cover the data part")
    result = check_test_count(data, snap, EMPTY_REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert result.evidence[0].path == "tests/test_data.py"
    model = _claim(2, tags=("part",), quote="two tests check the model")
    assert check_test_count(model, snap, EMPTY_REPORT).verdict is ClaimVerdict.UNVERIFIABLE
