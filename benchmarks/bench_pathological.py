"""How parsing time grows on hostile text: report parser, claim extractor, YAML loader.

Every regex over student text must stay linear. For each input the time at size n and at
4n is measured (best of --repeat runs); a ratio near 4 is linear, near 16 quadratic.

    python benchmarks/bench_pathological.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from verifier.claims import extract_claims
from verifier.repo.snapshot import parse_yaml
from verifier.report.parse import parse_report

#: Fragments repeated to make long single lines: brackets, slashes, numbers, links, ...
FRAGMENTS = {
    "open-parens": "(",
    "slashes": "/",
    "backtick-slash": "`/",
    "dash-numbers": "1-",
    "not-chain": "not ",
    "version-dots": "3.",
    "dots": ".",
    "numbered-list": "1. A ",
    "percents": "5% ",
    "words": "twenty ",
    "links": "![x](a.png) [y](b/c.py) ",
    "mojibake": "\u00c3\u00a9",
    "brackets": "[x] ",
}
QUESTIONS = (3, 4, 6, 7, 8, 10, 11, 15, 23)


def _report(body: str) -> str:
    parts = ["## Overall project checklist\n\n* [x] Create a git repository (M5)\n\n"]
    for n in QUESTIONS:
        parts.append(f"### Question {n}\n\n> **Question text**\n>\n> Answer:\n\n{body}\n\n")
    return "".join(parts)


def _yaml_aliases(width: int) -> str:
    lines = ["a0: &a0 [" + ",".join(["x"] * width) + "]"]
    for i in range(1, 8):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def best(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--size", type=int, default=5_000, help="repetitions of each fragment")
    args = ap.parse_args()
    print(
        f"{'input':<18} {'parse n':>9} {'parse 4n':>9} {'ratio':>6}   "
        f"{'claims n':>9} {'claims 4n':>9} {'ratio':>6}"
    )
    for name, fragment in FRAGMENTS.items():
        small, large = _report(fragment * args.size), _report(fragment * args.size * 4)
        p1 = best(lambda t=small: parse_report(t), args.repeat)
        p4 = best(lambda t=large: parse_report(t), args.repeat)
        r1, r4 = parse_report(small), parse_report(large)
        c1 = best(lambda r=r1: extract_claims(r), args.repeat)
        c4 = best(lambda r=r4: extract_claims(r), args.repeat)
        print(
            f"{name:<18} {p1:9.4f} {p4:9.4f} {p4 / max(p1, 1e-6):6.1f}   "
            f"{c1:9.4f} {c4:9.4f} {c4 / max(c1, 1e-6):6.1f}"
        )
    for width in (9, 20):
        took = best(lambda w=width: parse_yaml(_yaml_aliases(w)), args.repeat)
        print(f"yaml alias bomb (width {width}, 8 levels): refused in {took:.4f} s")


if __name__ == "__main__":
    main()
