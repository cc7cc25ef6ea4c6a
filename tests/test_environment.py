"""pyproject.toml and environment.yml must name the same packages with the same ranges."""

from __future__ import annotations

import re
import tomllib

import yaml

from analysis import paths

# PyPI names that conda-forge spells differently.
CONDA_NAMES = {}
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _parse(requirement: str) -> tuple[str, str]:
    name, spec = _REQUIREMENT.match(requirement).groups()
    name = name.lower().replace("_", "-")
    return CONDA_NAMES.get(name, name), spec.replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((paths.REPO_ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    # underthesea (GPL) is an optional segmenter a user installs by hand; every other extra is in
    # the conda environment.
    requirements = list(project["dependencies"]) + [r for name, group in extras.items()
                                                    if name != "underthesea" for r in group]
    return dict(_parse(r) for r in requirements)


def environment_requirements() -> dict[str, str]:
    env = yaml.safe_load((paths.REPO_ROOT / "environment.yml").read_text())
    entries = []
    for item in env["dependencies"]:
        entries.extend(item["pip"] if isinstance(item, dict) else [item])
    parsed = dict(_parse(e) for e in entries)
    parsed.pop("python", None)
    parsed.pop("pip", None)
    return parsed


def test_environment_yml_lists_the_same_packages_as_pyproject():
    assert environment_requirements() == pyproject_requirements()


def test_environment_yml_uses_conda_forge_without_build_strings():
    env = yaml.safe_load((paths.REPO_ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    for item in env["dependencies"]:
        if isinstance(item, str):
            assert item.count("=") <= 2 and not re.search(r"=[^=<>,]*=", item), item


def test_cli_reports_the_package_version():
    from typer.testing import CliRunner

    import analysis
    from analysis.cli import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"giaoban {analysis.__version__}"
    project = tomllib.loads((paths.REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == analysis.__version__
