"""Report parser: the five seed reports and synthetic reports for every tolerated variant."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.report import Tick, parse_report

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _seed(prefix: str) -> bytes:
    if not SEEDS.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS}")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed report {prefix}_*.txt not found in {SEEDS}")
    return matches[0].read_bytes()


# ---------------------------------------------------------------------------------------------
# Seeds

# prefix: (generation, items, ticked, unticked, unanswered questions)
SEED_FACTS = {
    "000": ("2026", 52, 47, 5, []),
    "001": ("2025", 52, 41, 11, [27, 28, 29, 30, 31]),
    "002": ("2026", 0, 0, 0, []),
    "003": ("2026", 53, 33, 20, [11, 12, 13, 14, 16]),
    "004": ("2026", 53, 42, 11, []),
}


@pytest.mark.parametrize("prefix", sorted(SEED_FACTS))
def test_seed_counts(prefix: str) -> None:
    generation, n_items, ticked, unticked, unanswered = SEED_FACTS[prefix]
    report = parse_report(_seed(prefix))
    assert report.generation == generation
    assert len(report.items) == n_items
    assert sum(i.tick is Tick.TICKED for i in report.items) == ticked
    assert sum(i.tick is Tick.UNTICKED for i in report.items) == unticked
    assert [a.number for a in report.answers] == list(range(1, 32))
    assert [a.number for a in report.answers if a.unanswered] == unanswered
    assert not any("missing question" in p for p in report.problems)
    for item in report.items:
        assert item.section in {"Week 1", "Week 2", "Week 3", "Extra"}
        assert item.catalog_id is not None, item.text


@pytest.mark.parametrize(
    ("prefix", "number", "heading", "start", "end", "first_words"),
    [
        ("000", 1, 120, 126, 126, "85"),
        ("000", 14, 342, 357, 367, "We used Weights & Biases"),
        ("000", 31, 644, 660, 670, "The-Laug (s215115)"),
        ("001", 19, 568, 575, 575, "![GCP_Bucket]"),
        ("001", 27, 757, 770, 770, "--- question 27 fill here ---"),
        ("002", 1, 5, 10, 10, "We are group 140."),
        ("002", 2, 12, 17, 17, "s205430, s211150"),
        ("003", 3, 139, 151, 152, "Yes: instead of using Typer"),
        ("003", 19, 421, 428, 432, "Bucket screenshot:"),
        ("004", 31, 586, 602, 608, "Student s252979"),
    ],
)
def test_seed_answer_spans(
    prefix: str, number: int, heading: int, start: int, end: int, first_words: str
) -> None:
    answer = parse_report(_seed(prefix)).answer(number)
    assert answer is not None
    assert (answer.heading_line, answer.start_line, answer.end_line) == (heading, start, end)
    assert answer.text.startswith(first_words)
    assert ">" not in answer.text.splitlines()[0][:1]


def test_seed_000_items_and_links() -> None:
    report = parse_report(_seed("000"))
    first = report.items[0]
    assert (first.line, first.mark, first.modules, first.section) == (55, "X", ("M5",), "Week 1")
    wrapped = next(i for i in report.items if i.line == 61)
    assert wrapped.end_line == 62
    assert wrapped.modules == ("M2", "M6")
    assert "`pyproject.toml`/`uv.lock` up-to-date" in wrapped.text
    assert wrapped.catalog_id == "M2.requirements-up-to-date"
    sweep = next(i for i in report.items if i.line == 74)
    assert (sweep.tick, sweep.catalog_id) == (Tick.UNTICKED, "M14.sweep")
    assert report.items[-1].section == "Extra"
    q14 = report.answer(14)
    assert q14 is not None
    prompt_links = [lk for lk in q14.links if lk.in_prompt]
    assert [(lk.target, lk.line) for lk in prompt_links] == [("figures/wandb.png", 346)]
    assert [(im.target, im.line) for im in q14.images] == [
        ("figures/best_model_overview_v0.png", 359),
        ("figures/best_model_charts_v0.png", 363),
        ("figures/best_model_v0.png", 367),
    ]
    assert "take inspiration from [this figure](figures/wandb.png)" in q14.prompt
    # the template's absent M27 input-output item is reported, not invented
    assert any("M27.input-output-collection" in p for p in report.problems)


def test_seed_001_generation_2025_and_mojibake() -> None:
    report = parse_report(_seed("001"))
    assert report.items[6].text.startswith("Remember to fill out the `requirements.txt` and")
    q9 = report.answer(9)
    assert q9 is not None
    assert "weren’t" in q9.text and "â€" not in q9.text
    assert any("mojibake" in p and "285" in p for p in report.problems)
    q19 = report.answer(19)  # heading "### Question 19 -> Lore inserisci la tua"
    assert q19 is not None and q19.heading_line == 568
    q20 = report.answer(20)
    assert q20 is not None
    assert [(im.target, im.line) for im in q20.images] == [
        ("./figures/artifacts1.png", 584),
        ("./figures/artifacts2.png", 585),
    ]
    assert report.answer(29).unanswered  # type: ignore[union-attr]


def test_seed_002_no_checklist() -> None:
    report = parse_report(_seed("002"))
    assert report.items == [] and not report.has_checklist
    assert report.title == "Exam report for 02476 Machine Learning Operations group 140"
    assert "no checklist found" in report.problems
    q29 = report.answer(29)
    assert q29 is not None
    assert [(im.target, im.line) for im in q29.images] == [
        ("figures/architecture_diagram.png", 609)
    ]


def test_seed_003_nested_image_links_and_placeholders() -> None:
    report = parse_report(_seed("003"))
    q19 = report.answer(19)
    assert q19 is not None
    at_430 = [(lk.target, lk.is_image, lk.in_prompt) for lk in q19.links if lk.line == 430]
    assert sorted(at_430) == [
        ("figures/bucket.png", False, False),
        ("figures/bucket.png", True, False),
    ]
    assert [lk.line for lk in q19.links if lk.in_prompt] == [424]
    q11 = report.answer(11)
    assert q11 is not None and q11.unanswered and q11.text == "--- question 11 fill here ---"
    assert report.items[0].mark == "x"


def test_seed_004_dash_items() -> None:
    report = parse_report(_seed("004"))
    item = next(i for i in report.items if i.line == 61)
    assert item.end_line is None
    assert item.text.endswith("whatever dependencies that you are using (M2+M6)")
    assert report.answer(3).text == "No."  # type: ignore[union-attr]
    q14 = report.answer(14)
    assert q14 is not None
    assert [(im.target, im.line) for im in q14.images] == [
        ("figures/wandb_charts.png", 335),
        ("figures/wandb_logs.png", 335),
    ]


def test_every_seed_parses_from_bytes() -> None:
    for path in sorted(SEED_FACTS):
        assert parse_report(_seed(path)).answers


# ---------------------------------------------------------------------------------------------
# Synthetic reports

CHECKLIST = """\
### Week 1

* [X] Create a git repository (M5)
* [ ] Remember to either fill out the `requirements.txt`/`requirements_dev.txt` files or
    keeping your `pyproject.toml`/`uv.lock` up-to-date with whatever dependencies that you are
  using (M2+M6)
* [x] Setup version control for your data or part of your data (M8)

### Week 3

* [ ] Setup collection of input-output data from your deployed application (M27)

### Extra

* [X] Uploaded all your code to GitHub
"""

QUESTIONS = """\
## Group information

### Question 1
> **Enter the group number you signed up on <learn.inside.dtu.dk>**
>
> Answer:

42

### Question 2

> **Enter the study number for each member in the group**
>
> Answer:

``--- question 2 fill here ---``

### Question 3

> **Did you end up using any open-source frameworks/packages not covered in the course**
> **during your project? If so which did you use and how did they help you complete the project?**
>
> Recommended answer length: 0-200 words.
>
> Answer:

We used timm.
See ![plot](figures/plot.png).
"""


def make_report(title: str = "# Exam template for 02476 Machine Learning Operations\n\n") -> str:
    return title + "## Overall project checklist\n\n" + CHECKLIST + "\n" + QUESTIONS


def test_synthetic_baseline() -> None:
    report = parse_report(make_report())
    assert report.generation == "2026"
    assert report.title == "Exam template for 02476 Machine Learning Operations"
    assert [(i.line, i.tick, i.modules) for i in report.items] == [
        (7, Tick.TICKED, ("M5",)),
        (8, Tick.UNTICKED, ("M2", "M6")),
        (11, Tick.TICKED, ("M8",)),
        (15, Tick.UNTICKED, ("M27",)),
        (19, Tick.TICKED, ()),
    ]
    assert report.items[1].end_line == 10
    assert report.items[1].catalog_id == "M2.requirements-up-to-date"
    assert [i.section for i in report.items] == ["Week 1"] * 3 + ["Week 3", "Extra"]
    assert [a.number for a in report.answers] == [1, 2, 3]
    assert [a.unanswered for a in report.answers] == [False, True, False]
    q3 = report.answer(3)
    assert q3 is not None and q3.text == "We used timm.\nSee ![plot](figures/plot.png)."
    assert [(im.target, im.line) for im in q3.images] == [("figures/plot.png", 48)]


def test_crlf_and_mixed_line_endings_keep_line_numbers() -> None:
    lines = make_report().split("\n")
    # never "\r" directly before "\n": that pair is one CRLF break
    endings = ("\r\n", "\n", "\r")
    mixed = "".join(line + endings[k % 3] for k, line in enumerate(lines))
    crlf = make_report().replace("\n", "\r\n")
    plain = parse_report(make_report())
    for text in (crlf, mixed, crlf.encode("utf-8")):
        report = parse_report(text)
        assert [i.line for i in report.items] == [i.line for i in plain.items]
        assert [(a.start_line, a.end_line) for a in report.answers] == [
            (a.start_line, a.end_line) for a in plain.answers
        ]
        assert all("\r" not in a.text for a in report.answers)
        assert report.items[1].text == plain.items[1].text


def test_utf8_bom() -> None:
    for source in ("\ufeff" + make_report(), ("\ufeff" + make_report()).encode("utf-8")):
        report = parse_report(source)
        assert report.title == "Exam template for 02476 Machine Learning Operations"
        assert report.items[0].line == 7


def test_mojibake_repaired_without_moving_lines() -> None:
    text = make_report().replace("We used timm.", "We didnâ€™t use cafÃ© tools.")
    report = parse_report(text)
    q3 = report.answer(3)
    assert q3 is not None
    assert q3.text.startswith("We didn’t use café tools.")
    assert q3.start_line == parse_report(make_report()).answer(3).start_line  # type: ignore[union-attr]
    assert any("mojibake" in p for p in report.problems)


def test_mojibake_next_to_real_accents() -> None:
    text = make_report().replace("We used timm.", "â€œdataâ€\x9d â†’ Ã¸l, then café: â€™é")
    q3 = parse_report(text).answer(3)
    assert q3 is not None
    assert q3.text.splitlines()[0] == "“data” → øl, then café: ’é"


def test_legitimate_accents_are_untouched() -> None:
    text = make_report().replace("We used timm.", "Ça marche: âge, São Paulo, naïve, Ã.")
    report = parse_report(text)
    assert report.answer(3).text.startswith("Ça marche: âge, São Paulo, naïve, Ã.")  # type: ignore[union-attr]
    assert not any("mojibake" in p for p in report.problems)


def test_non_utf8_bytes_never_crash() -> None:
    raw = make_report().replace("We used timm.", "We used caf\u00e9.").encode("cp1252")
    raw += b"\xff\xfe\x81 trailing junk\n"
    report = parse_report(raw)
    assert "caf\ufffd" in report.answer(3).text  # type: ignore[union-attr]
    assert any("not valid UTF-8" in p for p in report.problems)
    assert len(report.items) == 5


@pytest.mark.parametrize(
    ("mark", "tick"),
    [
        ("X", Tick.TICKED),
        ("x", Tick.TICKED),
        ("✅", Tick.TICKED),
        ("✔", Tick.TICKED),
        ("ok", Tick.TICKED),
        ("done", Tick.TICKED),
        (" ", Tick.UNTICKED),
        ("", Tick.UNTICKED),
        ("~", Tick.PART),
        ("/", Tick.PART),
        ("%", Tick.PART),
        ("50%", Tick.PART),
        ("-", Tick.PART),
    ],
)
def test_tick_marks(mark: str, tick: Tick) -> None:
    for bullet in ("*", "-", "+"):
        report = parse_report(f"{bullet} [{mark}]  Create a git repository (M5)  \n")
        assert len(report.items) == 1
        item = report.items[0]
        assert (item.tick, item.mark) == (tick, mark)
        assert item.text == "Create a git repository (M5)"
        assert item.catalog_id == "M5.git-repository"


def test_unknown_mark_is_kept_and_reported() -> None:
    report = parse_report("* [maybe] Create a git repository (M5)\n")
    assert report.items[0].tick is Tick.UNTICKED
    assert any("unrecognised tick mark [maybe]" in p for p in report.problems)


def test_link_lists_are_not_items() -> None:
    report = parse_report("* [the docs](https://example.org)\n* [x] Create a git repository\n")
    assert [i.line for i in report.items] == [2]


def test_renamed_title_and_report_starting_at_checklist() -> None:
    renamed = parse_report(make_report("# Group 7 -- our MLOps report\n\n"))
    assert renamed.title == "Group 7 -- our MLOps report"
    bare = parse_report(CHECKLIST + "\n" + QUESTIONS)
    assert bare.title is None
    assert len(bare.items) == 5 and bare.items[0].line == 3
    assert [a.number for a in bare.answers] == [1, 2, 3]


def test_deleted_question_heading_is_recovered_from_the_prompt() -> None:
    text = make_report().replace("### Question 2\n", "")
    report = parse_report(text)
    assert [a.number for a in report.answers] == [1, 2, 3]
    q1, q2 = report.answer(1), report.answer(2)
    assert q1 is not None and q2 is not None
    assert q1.text == "42"  # the next question's prompt is not part of answer 1
    assert q2.prompt == "Enter the study number for each member in the group"
    assert q2.unanswered
    assert q2.heading_line == q2.start_line - 2  # the "> Answer:" line
    assert any("heading of question 2 is missing" in p for p in report.problems)


def test_deleted_heading_of_a_later_question_is_numbered_by_prompt() -> None:
    # question 3's heading deleted and question 2 removed entirely: numbered 3 by its prompt
    start = QUESTIONS.index("### Question 2")
    stop = QUESTIONS.index("### Question 3")
    text = QUESTIONS[:start] + QUESTIONS[stop:].replace("### Question 3\n", "")
    report = parse_report(text)
    assert [a.number for a in report.answers] == [1, 3]
    assert any("missing question(s): 2," in p for p in report.problems)


def test_answer_written_on_the_answer_line() -> None:
    text = make_report().replace("> Answer:\n\n42\n", "> Answer: we used uv\n")
    report = parse_report(text)
    q1 = report.answer(1)
    assert q1 is not None
    assert q1.text == "we used uv" and not q1.unanswered
    assert q1.start_line == q1.end_line == q1.heading_line + 3


def test_heading_variants() -> None:
    text = (
        QUESTIONS.replace("### Question 1", "### question 1")
        .replace("### Question 2", "#### Question 2:")
        .replace("### Question 3", "### Question 3 -- done")
    )
    report = parse_report(text)
    assert [a.number for a in report.answers] == [1, 2, 3]


def test_duplicated_and_renumbered_questions_are_problems() -> None:
    dup = parse_report(QUESTIONS.replace("### Question 2", "### Question 1"))
    assert [a.number for a in dup.answers] == [1, 1, 3]
    assert any("question 1 appears again" in p for p in dup.problems)
    assert any("prompt is that of question 2" in p for p in dup.problems)
    swapped = (
        QUESTIONS.replace("### Question 3", "### Question X")
        .replace("### Question 2", "### Question 3")
        .replace("### Question X", "### Question 2")
    )
    report = parse_report(swapped)
    assert any("follows question 3" in p for p in report.problems)


def test_no_checklist() -> None:
    report = parse_report("# Report of group 3\n\n" + QUESTIONS)
    assert report.items == []
    assert report.generation == "2026"  # from the question 3 wording
    assert "no checklist found" in report.problems


def test_items_inside_code_fences_are_ignored() -> None:
    text = (
        "### Week 1\n\n```markdown\n* [x] Create a git repository (M5)\n```\n\n"
        "~~~\n- [x] Load test your application (M24)\n~~~\n\n"
        "* [ ] Setup version control for your data or part of your data (M8)\n"
    )
    report = parse_report(text)
    assert [(i.line, i.catalog_id) for i in report.items] == [(11, "M8.data-version-control")]


def test_inline_code_with_three_backticks_is_not_a_fence() -> None:
    text = "```--- question 1 fill here ---```\n\n* [x] Create a git repository (M5)\n"
    assert [i.line for i in parse_report(text).items] == [3]


def test_unclosed_fence_does_not_swallow_later_questions() -> None:
    text = QUESTIONS.replace("42\n", "```bash\npython train.py\n")
    report = parse_report(text)
    assert [a.number for a in report.answers] == [1, 2, 3]
    assert any("code fence never closed" in p for p in report.problems)


def test_very_long_lines_are_fast() -> None:
    long_words = "word [x](y " * 100_000
    brackets = "[" * 200_000 + "](" * 50_000 + ("[" + "a" * 299) * 500 + "<http://" * 20_000
    heading = "# " + " #" * 200_000 + "x"
    quoted = "> " + "**" * 100_000 + "Answer" + " " * 100_000
    text = (
        make_report().replace("We used timm.", long_words).replace("42\n", brackets + "\n")
        + "* [x] "
        + "a" * 300_000
        + "\n"
        + heading
        + "\n"
        + quoted
        + "\n"
        + "`" * 100_000
        + "\n"
        + "Ã©" * 100_000
        + "\n"
    )
    report = parse_report(text)  # its speed: benchmarks/bench_pathological.py
    assert [a.number for a in report.answers] == [1, 2, 3]


def test_huge_checklist_item_is_unknown() -> None:
    report = parse_report("* [x] " + "lorem ipsum " * 100_000 + "(M8)\n")
    assert len(report.items) == 1
    assert report.items[0].modules == ("M8",)
    assert report.items[0].catalog_id is None


def test_generation_2023_from_checklist_wording() -> None:
    text = (
        "### Week 1\n\n* [x] Create a git repository\n"
        "* [x] Remember to fill out the `requirements.txt` file with whatever dependencies that you"
        " are using\n* [ ] If applicable, consider deploying the model locally using torchserve\n"
        "\n### Additional\n\n* [x] Uploaded all your code to github\n"
    )
    report = parse_report(text)
    assert report.generation == "2023"
    assert [i.modules for i in report.items] == [(), (), (), ()]
    assert report.items[-1].section == "Extra"
    assert [i.catalog_id for i in report.items] == [
        "M5.git-repository",
        "M2.requirements-up-to-date",
        "M25.torchserve",
        "extra.uploaded-code",
    ]


def test_generation_2025_and_unknown() -> None:
    text = (
        "* [x] Remember to fill out the `requirements.txt` and `requirements_dev.txt` file with"
        " whatever dependencies that you are using (M2+M6)\n"
    )
    assert parse_report(text).generation == "2025"
    assert parse_report("just some notes\n").generation == "unknown"
    assert parse_report("").answers == []


def test_assign_ids_can_be_turned_off() -> None:
    report = parse_report(make_report(), assign_ids=False)
    assert all(i.catalog_id is None for i in report.items)


def test_task_lists_inside_answers_are_not_checklist_items() -> None:
    text = make_report().replace("We used timm.", "- [x] frontend\n- [ ] kubernetes")
    report = parse_report(text)
    assert len(report.items) == 5
    assert "- [x] frontend" in report.answer(3).text  # type: ignore[union-attr]


def test_note_after_the_module_code_keeps_modules() -> None:
    report = parse_report("* [x] Setup version control for your data (M8) -- done with dvc\n")
    item = report.items[0]
    assert item.modules == ("M8",)
    assert item.catalog_id == "M8.data-version-control"


def test_answer_written_inside_the_quote() -> None:
    text = make_report().replace("> Answer:\n\n42\n", "> Answer:\n> We are group 42\n> of five.\n")
    q1 = parse_report(text).answer(1)
    assert q1 is not None
    assert q1.text == "We are group 42\nof five."
    assert q1.end_line - q1.start_line == 1


def test_placeholder_left_above_an_answer_is_dropped() -> None:
    text = make_report().replace(
        "``--- question 2 fill here ---``\n", "``--- question 2 fill here ---``\n\ns1, s2\n"
    )
    q2 = parse_report(text).answer(2)
    assert q2 is not None
    assert (q2.text, q2.unanswered) == ("s1, s2", False)


def test_repeated_answer_line_inside_an_answer_is_not_a_new_question() -> None:
    text = make_report().replace("42\n", "42\n\n> Answer:\n\nstill 42\n")
    report = parse_report(text)
    assert [a.number for a in report.answers] == [1, 2, 3]
    assert "still 42" in report.answer(1).text  # type: ignore[union-attr]
    assert not any("heading of question" in p for p in report.problems)


_FRAGMENTS = [
    "# Title",
    "## Deployment",
    "### Week 2",
    "### Extra",
    "### Question 3",
    "#### question 12:",
    "> **Enter the group number you signed up on <learn.inside.dtu.dk>**",
    "> **Did you use DVC for managing data in your project? If yes, then how did it improve**",
    ">",
    "> Answer:",
    "> Answer: inline",
    "Answer:",
    "``--- question 4 fill here ---``",
    "* [x] Create a git repository (M5)",
    "- [~]  Load test your application (M24)",
    "+ [50%] Calculate the code coverage (M16)",
    "    continued text",
    "```",
    "~~~",
    "![img](figures/a.png) [![b](b.png)](b.png) <https://x.org> http://y.org/z.",
    "[[[[ ]]]] ((( ))) ![",
    "Ã©â€™ naïve",
    "",
]


@given(
    st.lists(
        st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=40)),
        max_size=60,
    ),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
@settings(max_examples=200, deadline=None)
def test_never_raises_and_spans_stay_in_range(parts: list[str], newline: str) -> None:
    text = newline.join(parts)
    report = parse_report(text)
    report_bytes = parse_report(text.encode("utf-8", errors="replace") + b"\xff")
    for rep in (report, report_bytes):
        for item in rep.items:
            assert 1 <= item.line <= rep.line_count
            assert item.end_line is None or item.line < item.end_line <= rep.line_count
        for answer in rep.answers:
            assert 1 <= answer.heading_line <= rep.line_count + 1
            assert answer.start_line <= answer.end_line + 1
            for link in answer.links:
                assert 1 <= link.line <= rep.line_count


def test_thousands_of_questions_are_all_read() -> None:
    block = "### Question 5\n\n> **Enter the study number for each member in the group**\n>\n"
    orphan = "> **Did you use DVC for managing data in your project?**\n>\n> Answer:\n\nyes\n\n"
    text = (block + "> Answer:\n\nno\n\n" + orphan) * 2000
    report = parse_report(text)
    assert len(report.answers) == 4000


def test_generation_2023_from_a_question_without_checklist() -> None:
    text = (
        "### Question 22\n\n> **Did you manage to deploy your model, either in locally or cloud?"
        " If not, describe why.**\n>\n> Answer:\n\nyes\n"
    )
    report = parse_report(text)
    assert report.generation == "2023"
    assert report.answer(22).text == "yes"  # type: ignore[union-attr]
