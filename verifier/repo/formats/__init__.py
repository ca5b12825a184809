"""Pure parsers of the file formats probes look at.

Each parser is a function of ``(path, text)`` that returns line-numbered, structured data and
never raises on bad input: problems are reported in an ``error`` field. None of them touches
git or the file system, and none imports or executes what it reads.
"""

from verifier.repo.formats.dependencies import (
    import_to_distributions,
    is_stdlib,
    normalize_name,
    parse_environment_yml,
    parse_lock_packages,
    parse_pyproject,
    parse_requirements,
)
from verifier.repo.formats.dockerfile import parse_dockerfile
from verifier.repo.formats.dvc import parse_dvc_config, parse_dvc_file, parse_dvc_yaml
from verifier.repo.formats.pyindex import index_notebook, index_python
from verifier.repo.formats.workflow import parse_workflow
from verifier.repo.formats.yamlnodes import load_yaml

__all__ = [
    "import_to_distributions",
    "index_notebook",
    "index_python",
    "is_stdlib",
    "load_yaml",
    "normalize_name",
    "parse_dockerfile",
    "parse_dvc_config",
    "parse_dvc_file",
    "parse_dvc_yaml",
    "parse_environment_yml",
    "parse_lock_packages",
    "parse_pyproject",
    "parse_requirements",
    "parse_workflow",
]
