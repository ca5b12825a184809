"""The extractor's vocabulary, loaded once from ``verifier/data/claim_vocabulary.yaml``.

Phrases are kept as tuples of lowercase words so that matching works on the word tokens of a
sentence (see :mod:`verifier.claims.text`), never on raw substrings.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

Phrase = tuple[str, ...]

_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]{1,2})?|[~≈🤗]")


def phrase(text: str) -> Phrase:
    """The words of ``text`` as the tokenizer sees them (lowercase, apostrophes normalised)."""
    return tuple(m.group(0).lower().replace("’", "'") for m in _WORDS.finditer(str(text)))


def _phrases(items: Any) -> tuple[Phrase, ...]:
    out = [phrase(x) for x in (items or []) if isinstance(x, str | int)]
    return tuple(sorted({p for p in out if p}, key=len, reverse=True))


@dataclass(frozen=True)
class Entry:
    """A named thing with aliases: a tool, a framework, an OS, a remote kind, a role."""

    name: str
    aliases: tuple[Phrase, ...]
    kinds: tuple[str, ...] = ()
    distributions: tuple[str, ...] = ()
    course: bool = False
    ambiguous: bool = False
    not_followed_by: frozenset[str] = frozenset()
    not_preceded_by: frozenset[str] = frozenset()
    skip_before: frozenset[str] = frozenset()
    skip_if_followed_by_tool: bool = False


@dataclass(frozen=True)
class Vocabulary:
    topics: dict[str, dict[str, tuple[int, ...]]]
    negation_short: tuple[Phrase, ...]
    short_window: int
    negation_verbal: tuple[Phrase, ...]
    negation_exceptions: tuple[Phrase, ...]
    negation_verbs: frozenset[str]
    verb_window: int
    negation_after_aux: frozenset[str]
    negation_after: frozenset[str]
    hedges: tuple[Phrase, ...]
    hedge_negated_by_not: frozenset[str]
    hedge_negations: frozenset[str]
    agency: tuple[Phrase, ...]
    #: Agency words too weak to make a statement about a tool the group's own ("with").
    weak_agency: frozenset[str]
    #: A denial with one of these in its clause is only partial: no claim either way.
    denial_limiters: tuple[Phrase, ...]
    subordinators: frozenset[str]
    clause_words: frozenset[str]
    comma_clause_words: frozenset[str]
    abbreviations: frozenset[str]
    qualifiers: tuple[tuple[Phrase, str], ...]  # longest phrase first
    qualifier_suffixes: dict[str, str]
    range_words: frozenset[str]
    range_joiners: frozenset[str]
    number_words: dict[str, int]
    number_scales: dict[str, int]
    test_nouns: tuple[Phrase, ...]
    test_singular_nouns: frozenset[Phrase]
    test_fillers: frozenset[str]
    test_zero_words: frozenset[str]
    test_not_after: frozenset[str]
    commands: frozenset[str]
    coverage_exclude: tuple[Phrase, ...]
    coverage_part: tuple[Phrase, ...]
    coverage_total: tuple[Phrase, ...]
    coverage_stated: frozenset[str]
    coverage_not_stated: frozenset[str]
    tools: tuple[Entry, ...]
    quality_cues: tuple[tuple[Phrase, str], ...]
    quality_cue_window: int
    frameworks: tuple[Entry, ...]
    framework_context_before: tuple[Phrase, ...]
    framework_context_after: tuple[Phrase, ...]
    dvc_aliases: tuple[Phrase, ...]
    dvc_remotes: tuple[Entry, ...]
    dvc_answer_no: frozenset[str]
    ci_os: tuple[Entry, ...]
    python_minors: tuple[int, int]
    python_context: tuple[Phrase, ...]
    cache_words: tuple[Phrase, ...]
    lint_words: tuple[Phrase, ...]
    workflow_nouns: tuple[Phrase, ...]
    workflow_fillers: frozenset[str]
    not_workflow_files: frozenset[str]
    image_words: tuple[Phrase, ...]
    docker_roles: tuple[Entry, ...]
    role_window: int
    http_methods: frozenset[str]
    path_blacklist: frozenset[str]
    endpoint_words: tuple[Phrase, ...]
    service_hosts: tuple[str, ...]
    command_words: frozenset[str]
    not_routes_before: frozenset[str]
    extra: dict[str, Any] = field(default_factory=dict)

    def questions(self, topic: str, generation: str) -> tuple[int, ...]:
        by_gen = self.topics.get(topic, {})
        return by_gen.get(generation, by_gen.get("default", ()))

    def framework(self, name: str) -> Entry | None:
        for entry in self.frameworks:
            if entry.name == name:
                return entry
        return None


def _entries(items: Any, *, kinds_key: bool = False) -> tuple[Entry, ...]:
    out: list[Entry] = []
    for item in items or []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        aliases = _phrases(item.get("aliases") or [item["name"]])
        out.append(
            Entry(
                name=item["name"],
                aliases=aliases,
                kinds=tuple(str(k) for k in item.get("kinds") or ()),
                distributions=tuple(str(d) for d in item.get("distributions") or ()),
                course=bool(item.get("course", False)),
                ambiguous=bool(item.get("ambiguous", False)),
                not_preceded_by=frozenset(
                    str(w).lower() for w in item.get("not_preceded_by") or ()
                ),
                not_followed_by=frozenset(
                    str(w).lower() for w in item.get("not_followed_by") or ()
                ),
                skip_before=frozenset(str(w).lower() for w in item.get("skip_before") or ()),
                skip_if_followed_by_tool=bool(item.get("skip_if_followed_by_tool", False)),
            )
        )
    return tuple(out)


def _named(mapping: Any) -> tuple[Entry, ...]:
    """``{name: [aliases]}`` as entries."""
    if not isinstance(mapping, dict):
        return ()
    return tuple(Entry(name=str(k), aliases=_phrases(v)) for k, v in mapping.items())


def _words(items: Any) -> frozenset[str]:
    return frozenset(str(x).lower().replace("’", "'") for x in items or [] if x is not None)


def build_vocabulary(data: dict[str, Any]) -> Vocabulary:
    """A :class:`Vocabulary` from the parsed YAML document (tests may pass their own)."""
    cues = data.get("cues", {})
    topics = {
        str(topic): {str(gen): tuple(int(q) for q in qs) for gen, qs in by_gen.items()}
        for topic, by_gen in (data.get("topics") or {}).items()
    }
    qualifiers = sorted(
        (
            (p, str(canon))
            for canon, words in (data.get("qualifiers") or {}).items()
            for p in _phrases(words)
        ),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    quality = sorted(
        (
            (p, str(kind))
            for kind, words in (data.get("quality_cues") or {}).items()
            for p in _phrases(words)
        ),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    tests = data.get("tests", {})
    coverage = data.get("coverage", {})
    dvc = data.get("dvc", {})
    ci = data.get("ci", {})
    docker = data.get("docker", {})
    api = data.get("api", {})
    minors = ci.get("python_minors") or [6, 15]
    return Vocabulary(
        topics=topics,
        negation_short=_phrases(cues.get("negation_short")),
        short_window=int(cues.get("short_window", 3)),
        negation_verbal=_phrases(cues.get("negation_verbal")),
        negation_exceptions=_phrases(cues.get("negation_exceptions")),
        negation_verbs=_words(cues.get("negation_verbs")),
        verb_window=int(cues.get("verb_window", 3)),
        negation_after_aux=_words(cues.get("negation_after_aux")),
        negation_after=_words(cues.get("negation_after")),
        hedges=_phrases(cues.get("hedges")),
        hedge_negated_by_not=_words(cues.get("hedge_negated_by_not")),
        hedge_negations=_words(cues.get("hedge_negations")),
        agency=_phrases(cues.get("agency")),
        weak_agency=_words(cues.get("weak_agency")),
        denial_limiters=_phrases(cues.get("denial_limiters")),
        subordinators=_words(cues.get("subordinators")),
        clause_words=_words(cues.get("clause_words")),
        comma_clause_words=_words(cues.get("comma_clause_words")),
        abbreviations=_words(cues.get("abbreviations")),
        qualifiers=tuple(qualifiers),
        qualifier_suffixes={
            str(k): str(v) for k, v in (data.get("qualifier_suffixes") or {}).items()
        },
        range_words=_words(data.get("range_words")),
        range_joiners=_words(data.get("range_joiners")),
        number_words={str(k): int(v) for k, v in (data.get("number_words") or {}).items()},
        number_scales={str(k): int(v) for k, v in (data.get("number_scales") or {}).items()},
        test_nouns=_phrases(tests.get("nouns")),
        test_singular_nouns=frozenset(_phrases(tests.get("singular_nouns"))),
        test_fillers=_words(tests.get("fillers")),
        test_zero_words=_words(tests.get("zero_words")),
        test_not_after=_words(tests.get("not_after")),
        commands=_words(data.get("commands")),
        coverage_exclude=_phrases(coverage.get("exclude_words")),
        coverage_part=_phrases(coverage.get("part_words")),
        coverage_total=_phrases(coverage.get("total_words")),
        coverage_stated=_words(coverage.get("stated_by")),
        coverage_not_stated=_words(coverage.get("not_stated_after")),
        tools=_entries(data.get("tools")),
        quality_cues=tuple(quality),
        quality_cue_window=int(data.get("quality_cue_window", 8)),
        frameworks=_entries(data.get("frameworks")),
        framework_context_before=_phrases(data.get("framework_context_before")),
        framework_context_after=_phrases(data.get("framework_context_after")),
        dvc_aliases=_phrases(dvc.get("aliases") or ["dvc"]),
        dvc_remotes=_named(dvc.get("remotes")),
        dvc_answer_no=_words(dvc.get("answer_no")),
        ci_os=_named(ci.get("os")),
        python_minors=(int(minors[0]), int(minors[1])),
        python_context=_phrases(ci.get("python_context")),
        cache_words=_phrases(ci.get("cache_words")),
        lint_words=_phrases(ci.get("lint_words")),
        workflow_nouns=_phrases(ci.get("workflow_nouns")),
        workflow_fillers=_words(ci.get("workflow_fillers")),
        not_workflow_files=_words(ci.get("not_workflow_files")),
        image_words=_phrases(docker.get("image_words")),
        docker_roles=_named(docker.get("roles")),
        role_window=int(docker.get("role_window", 6)),
        http_methods=frozenset(str(m).upper() for m in api.get("methods") or ()),
        path_blacklist=_words(api.get("path_blacklist")),
        endpoint_words=_phrases(api.get("endpoint_words")),
        service_hosts=tuple(str(h).lower() for h in api.get("service_hosts") or ()),
        command_words=_words(api.get("command_words")),
        not_routes_before=_words(api.get("not_routes_before")),
    )


@functools.cache
def vocabulary_data() -> dict[str, Any]:
    """The bundled ``claim_vocabulary.yaml`` as plain data (read once per process, with
    LibYAML's safe loader where PyYAML has it: the pure-Python one takes ~0.1 s)."""
    text = resources.files("verifier").joinpath("data/claim_vocabulary.yaml").read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    return data if isinstance(data, dict) else {}


@functools.cache
def load_vocabulary() -> Vocabulary:
    """The bundled vocabulary (parsed once)."""
    return build_vocabulary(vocabulary_data())


def framework_distributions(name: str) -> tuple[str, ...]:
    """PyPI distributions that provide the framework a ``framework`` claim names."""
    entry = load_vocabulary().framework(name)
    return entry.distributions if entry else ()
