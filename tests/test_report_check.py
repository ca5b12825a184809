"""Tests for verifier.report.check: the course's per-question word and image limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.report.check import (
    QuestionLimit,
    ReportCheck,
    check_answer,
    check_report,
    count_words,
    course_answer_count,
    course_image_count,
    course_piece,
    course_reading_problem,
    generations,
    limits_for,
)
from verifier.report.model import Answer, Link, Report

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


def answer(number: int, text: str, *, images: int = 0, unanswered: bool = False) -> Answer:
    links = [
        Link(
            text="shot",
            target=f"figures/{number}_{i}.png",
            line=10 * number + 2,
            is_image=True,
            in_prompt=False,
        )
        for i in range(images)
    ]
    image_md = "".join(f"\n![shot](figures/{number}_{i}.png)" for i in range(images))
    return Answer(
        number=number,
        heading_line=10 * number,
        start_line=10 * number + 2,
        end_line=10 * number + 3,
        text=text + image_md,
        prompt="**prompt**",
        unanswered=unanswered,
        links=links,
    )


def report(generation: str, answers: list[Answer]) -> Report:
    return Report(
        path="reports/README.md", generation=generation, title=None, items=[], answers=answers
    )


def by_question(results: list[ReportCheck]) -> dict[int, ReportCheck]:
    return {r.question: r for r in results}


# --- limits data ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("generation", "count"), [("2023", 27), ("2024", 27), ("2025", 31), ("2026", 31)]
)
def test_limits_load_for_each_generation(generation: str, count: int) -> None:
    limits, note = limits_for(generation)
    assert note is None
    assert sorted(limits) == list(range(1, count + 1))
    for q, limit in limits.items():
        assert limit.question == q
        assert limit.topic
    # questions 1-2 have no limits; every other question has a word or image limit
    assert not limits[1].has_word_limit and not limits[1].has_image_limit
    assert all(limits[q].has_word_limit or limits[q].has_image_limit for q in range(3, count + 1))


def test_known_generations() -> None:
    assert generations() == ["2023", "2025", "2026"]


def test_generation_specific_values() -> None:
    old, _ = limits_for("2023")
    assert (old[6].min_words, old[6].max_words) == (50, 100)
    assert (old[24].min_words, old[24].max_words) == (25, 100)
    assert (old[25].min_images, old[25].max_images, old[25].min_words) == (1, 1, 200)
    assert (old[20].min_images, old[20].max_images) == (1, 1)
    y25, _ = limits_for("2025")
    y26, _ = limits_for("2026")
    assert (y25[3].min_words, y26[3].min_words) == (100, 0)
    assert (y25[20].max_images, y26[20].max_images) == (2, 2)
    assert (y26[31].min_words, y26[31].max_words) == (50, 300)
    assert (y26[14].min_images, y26[14].max_images, y26[14].max_words) == (1, 3, 300)
    assert y26[29].stated and "200-400" in y26[29].stated
    # 2025 and 2026 differ only in question 3
    assert [q for q in y25 if y25[q] != y26[q]] == [3]


def test_unknown_generation_uses_newest_with_note() -> None:
    limits, note = limits_for("unknown")
    assert note is not None and "2026" in note
    assert limits == limits_for("2026")[0]
    results = check_report(report("unknown", []))
    assert results[0].question == 0 and results[0].ok and "2026" in results[0].message
    assert len(results) == 32


# --- word counting -------------------------------------------------------------------------


def test_count_words_is_whitespace_split_of_raw_markdown() -> None:
    assert count_words("We  used\tuv.\n\n![fig](figures/a.png) `uv sync`") == 6
    assert count_words("") == 0


def test_course_image_count_is_single_line_markdown_images() -> None:
    assert course_image_count("![a](x.png) and ![b](y.png)") == 2
    assert course_image_count('<img src="x.png">') == 0
    assert course_image_count("![a\n](x.png)") == 0


# --- single answers ------------------------------------------------------------------------

Q7 = QuestionLimit(question=7, topic="tests", min_words=50, max_words=100)
Q19 = QuestionLimit(question=19, topic="bucket", min_images=1, max_images=2)
Q14 = QuestionLimit(
    question=14, topic="wandb", min_words=200, max_words=300, min_images=1, max_images=3
)
Q28 = QuestionLimit(question=28, topic="extra", min_words=0, max_words=200)


def test_too_short_answer_fails() -> None:
    r = check_answer(answer(7, words(49)), Q7)
    assert not r.ok and r.words == 49
    assert r.message.startswith("too short: 49 words") and "50-100" in r.message
    assert r.line == 72


def test_too_long_answer_fails() -> None:
    r = check_answer(answer(7, words(101)), Q7)
    assert not r.ok and r.words == 101 and r.message.startswith("too long")


@pytest.mark.parametrize(("n", "ok"), [(49, False), (50, True), (100, True), (101, False)])
def test_word_limits_are_inclusive(n: int, ok: bool) -> None:
    assert check_answer(answer(7, words(n)), Q7).ok is ok


def test_ok_answer_message_states_counts() -> None:
    r = check_answer(answer(7, words(60)), Q7)
    assert r.ok and r.message == "60 words (50-100 words)"


def test_missing_required_image_fails() -> None:
    r = check_answer(answer(19, "Our bucket holds the raw data."), Q19)
    assert not r.ok and r.images == 0 and r.message.startswith("missing image")


@pytest.mark.parametrize(("n", "ok"), [(0, False), (1, True), (2, True), (3, False)])
def test_image_limits_are_inclusive(n: int, ok: bool) -> None:
    r = check_answer(answer(19, "bucket", images=n), Q19)
    assert r.ok is ok and r.images == n
    if n == 3:
        assert r.message.startswith("too many images: 3 images")


def test_image_words_count_like_the_course() -> None:
    # the image syntax itself is one whitespace token each, as in the course's count
    r = check_answer(answer(14, words(199), images=1), Q14)
    assert r.ok and r.words == 200 and r.images == 1


def test_words_and_images_both_reported() -> None:
    r = check_answer(answer(14, words(150)), Q14)
    assert not r.ok
    assert "too short" in r.message and "missing image" in r.message


def test_prompt_images_do_not_count() -> None:
    a = answer(19, "see the bucket")
    a.links.append(Link("this figure", "figures/bucket.png", 190, is_image=True, in_prompt=True))
    assert not check_answer(a, Q19).ok


def test_unanswered_question_fails() -> None:
    a = answer(7, "--- question 7 fill here ---", unanswered=True)
    r = check_answer(a, Q7)
    assert not r.ok and r.message == "not answered" and r.line == 70


def test_unanswered_optional_question_is_ok() -> None:
    r = check_answer(answer(28, "", unanswered=True), Q28)
    assert r.ok and r.message.startswith("not answered (optional")


def test_missing_question_fails() -> None:
    r = check_answer(None, Q7)
    assert not r.ok and r.message.startswith("not answered") and r.line == 1


def test_course_reading_differences_are_noted() -> None:
    text = words(60) + "\n## Results\n" + words(10)
    r = check_answer(answer(7, text), Q7)
    assert r.ok and r.words == 72
    assert "stops reading at '##' on line 73" in r.message and "counts 60 words" in r.message
    r = check_answer(answer(7, words(60) + "\nAnswer: yes"), Q7)
    assert r.ok and r.words == 62
    assert "reads only what follows 'Answer:' on line 73" in r.message
    assert "counts 1 word" in r.message
    r = check_answer(answer(7, words(60)), Q7)
    assert "course" not in r.message
    a = answer(19, '<img src="figures/b.png">')
    a.links.append(Link("", "figures/b.png", 192, is_image=True, in_prompt=False))
    r = check_answer(a, Q19)
    assert r.ok and "sees 0 images" in r.message


# --- whole reports -------------------------------------------------------------------------


def test_check_report_one_entry_per_question_in_order() -> None:
    rep = report("2023", [answer(7, words(60)), answer(19, "x", images=3)])
    results = check_report(rep)
    assert [r.question for r in results] == list(range(1, 28))
    got = by_question(results)
    assert got[7].ok
    assert not got[19].ok  # 2023 allows 1-2 bucket images
    assert not got[20].ok and got[20].message.startswith("not answered")
    assert not got[1].ok  # a missing group number is reported too


def test_check_report_answered_q1_has_no_limit() -> None:
    got = by_question(check_report(report("2026", [answer(1, "85")])))
    assert got[1].ok and got[1].message == "answered" and got[1].words == 1


# --- seeds through the parser ----------------------------------------------------------------


def _seed(prefix: str) -> Path:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not present")
    return matches[0]


@pytest.fixture
def parse_report():
    module = pytest.importorskip("verifier.report.parse")
    return module.parse_report


def test_seeds_give_stable_results(parse_report) -> None:
    # counts checked by hand: raw text between "Answer:" and the next heading, whitespace split
    s000 = by_question(check_report(parse_report(_seed("000").read_bytes())))
    assert (s000[7].ok, s000[7].words) == (True, 65)
    assert (s000[14].ok, s000[14].words, s000[14].images) == (True, 259, 3)
    assert (s000[31].ok, s000[31].words) == (False, 342)
    assert s000[31].message.startswith("too long")
    assert (s000[19].ok, s000[19].images) == (True, 1)

    s001 = by_question(check_report(parse_report(_seed("001").read_bytes())))
    assert s001[3].ok and s001[3].words == 119
    assert (s001[20].ok, s001[20].images) == (True, 2)
    assert [s001[q].message for q in (27, 29, 30, 31)] == ["not answered"] * 4
    assert s001[28].ok  # 0-200 words: optional

    s003 = by_question(check_report(parse_report(_seed("003").read_bytes())))
    assert s003[11].message == "not answered" and not s003[11].ok
    assert (s003[5].ok, s003[5].words) == (False, 86)
    assert s003[3].ok and s003[3].words == 44  # 0-200 words in the 2026 template

    s004 = by_question(check_report(parse_report(_seed("004").read_bytes())))
    assert (s004[29].ok, s004[29].images) == (False, 0)
    assert "missing image" in s004[29].message
    assert (s004[14].ok, s004[14].words, s004[14].images) == (False, 46, 2)
    assert s004[3].ok and s004[3].words == 1  # "No." is enough for an optional question


def test_single_image_limit_wording() -> None:
    limit = QuestionLimit(question=29, topic="figure", min_images=1, max_images=1)
    r = check_answer(answer(29, "diagram", images=1), limit)
    assert r.ok and r.message == "1 image (1 image)"
    r = check_answer(answer(29, "diagram", images=2), limit)
    assert r.message == "too many images: 2 images, the template asks for 1 image"


def test_sample_group_report_matches_its_answer_key(parse_report) -> None:
    # examples/sample-group/EXPECTED.md, section "Report check"
    path = (
        Path(__file__).resolve().parents[1] / "examples" / "sample-group" / "reports" / "README.md"
    )
    rep = parse_report(path.read_bytes())
    assert rep.generation == "2026"
    results = check_report(rep)
    failing = {r.question: (r.words, r.images) for r in results if not r.ok}
    assert failing == {
        14: (36, 0),
        16: (35, 0),
        18: (26, 0),
        19: (12, 0),
        20: (7, 0),
        21: (6, 0),
        22: (16, 0),
        26: (46, 0),
        27: (27, 0),
    }
    got = by_question(results)
    assert (got[7].words, got[29].images, got[3].words) == (62, 1, 38)


def _course_counts(text: str) -> list[tuple[int, int]]:
    """Independent restatement of the course's reading: pieces after each "Answer:", cut at "##"."""
    counts = []
    for piece in text.split("Answer:")[1:]:
        cut = piece.find("##")
        piece = piece if cut < 0 else piece[:cut]
        counts.append((len(piece.split()), course_image_count(piece)))
    return counts


def test_counts_equal_the_course_reading_on_every_seed(parse_report) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip("no seeds")
    for seed in seeds:
        raw = seed.read_bytes()
        course = _course_counts(raw.decode("utf-8", "replace"))
        results = [r for r in check_report(parse_report(raw)) if r.question]
        assert len(course) == len(results) == 31, seed.name
        assert [(r.words, r.images) for r in results] == course, seed.name
        assert course_reading_problem(raw, "2026") is None


def test_course_piece() -> None:
    assert course_piece("a b ## c") == ("a b ", 0)
    assert course_piece("a Answer: b c ## d") == (" b c ", 9)
    assert course_piece("plain") == ("plain", 0)


def _template(n: int, tail: str = "") -> str:
    body = "".join(
        f"### Question {q}\n> **prompt**\n>\n> Answer:\n\ntext {q}\n\n" for q in range(1, n + 1)
    )
    return "# Exam template\n\n## Group information\n\n" + body + tail


def test_course_answer_count_and_reading_problem() -> None:
    assert course_answer_count(_template(31)) == 31
    assert course_reading_problem(_template(31), "2026") is None
    assert course_reading_problem(_template(27).encode(), "2023") is None
    # a heading after the last answer is counted twice by the course's checker
    extra = _template(31, "### Appendix\n\nmore\n")
    assert course_answer_count(extra) == 32
    problem = course_reading_problem(extra, "2026")
    assert problem is not None and "finds 32 answers" in problem and "31 questions" in problem
    assert "finds 30 answers" in (course_reading_problem(_template(30), "2025") or "")
    assert course_answer_count("no answers here") == 0


def test_sample_group_answer_key_matches_its_report(parse_report) -> None:
    import yaml

    base = Path(__file__).resolve().parents[1] / "examples" / "sample-group"
    key_text = (base / "EXPECTED.md").read_text(encoding="utf-8")
    key = yaml.safe_load(key_text.split("```yaml\n", 1)[1].split("```", 1)[0])
    rep = parse_report((base / "reports" / "README.md").read_bytes())
    assert len(rep.items) == len(key["items"]) == 53
    for item in rep.items:
        entry = key["items"][item.catalog_id]
        assert entry["line"] == item.line, item.catalog_id
        assert entry["ticked"] == (item.tick.value == "ticked"), item.catalog_id
        assert (entry["kind"] in {"honest", "false-tick"}) == entry["ticked"], item.catalog_id
    failing = {
        r.question: [r.words, r.images] for r in check_report(rep) if not r.ok and r.question
    }
    assert failing == key["report_check_failing"]
