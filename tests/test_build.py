"""The build folder: one reader and error, the build manifest, and what a change of code,
codebook or corpus rebuilds (faults 1 and 2 of issue 8)."""

from __future__ import annotations

import json
import shutil
import textwrap

import pandas as pd
import pytest

from analysis import build, paths
from analysis.reports import jobs

from report_fixtures import giaoban

OWN_CODEBOOK = textwrap.dedent("""\
    version: 1
    topics:
      - id: hoc_phi_rieng
        label_vi: Học phí
        label_en: Tuition
        include: ["học phí", "các khoản thu"]
      - id: so_hoa
        label_vi: Số hóa
        label_en: Digitisation
        include: ["chuyển đổi số"]
    """)


@pytest.fixture(scope="module")
def own_build(tmp_path_factory):
    """The seeds ingested, tagged and analysed with a researcher's codebook of two topics."""
    root = tmp_path_factory.mktemp("own")
    codebook = root / "my.yml"
    codebook.write_text(OWN_CODEBOOK, encoding="utf-8")
    out = root / "build"
    giaoban("ingest", "--corpus", str(paths.CORPUS_DIR), "--build", str(out))
    giaoban("tag", "--build", str(out), "--codebook", str(codebook))
    giaoban("analyze", "--build", str(out), "--figures", str(root / "figures"), "--no-progress",
            "--codebook", str(codebook))
    return out, codebook, root / "figures"


@pytest.mark.slow
def test_a_researchers_codebook_gives_profiles_with_exactly_its_topics(own_build):
    out, _, figures = own_build
    for name in ("profiles", "profiles_by_role", "timeline", "cooccurrence"):
        table = pd.read_parquet(out / f"{name}.parquet")
        topics = set(table["topic"]) if "topic" in table else set(table["topic_a"]) | set(table["topic_b"])
        assert topics <= {"hoc_phi_rieng", "so_hoa"}, name
    assert list(pd.read_parquet(out / "profiles.parquet")["topic"].drop_duplicates()) == ["hoc_phi_rieng", "so_hoa"]
    drawn = {p.stem for p in figures.glob("roles_*.png")}
    assert drawn and drawn <= {"roles_hoc_phi_rieng", "roles_so_hoa"}


@pytest.mark.slow
def test_analyze_refuses_a_codebook_other_than_the_tags_one(own_build, tmp_path):
    out, codebook, _ = own_build
    from typer.testing import CliRunner

    from analysis.cli import app

    result = CliRunner().invoke(app, ["analyze", "--build", str(out), "--figures", str(tmp_path),
                                      "--codebook", str(paths.DEFAULT_CODEBOOK), "--no-progress"])
    assert result.exit_code == 2
    assert f"the tags in {out} were made with codebook my.yml" in result.output
    assert f"giaoban tag --build {out} --codebook" in result.output


@pytest.mark.slow
def test_the_manifest_records_each_stage(own_build):
    out, codebook, _ = own_build
    manifest = json.loads((out / build.MANIFEST_FILE).read_text(encoding="utf-8"))
    assert list(manifest) == ["ingest", "tag", "analyze"]
    tag = manifest["tag"]
    assert tag["codebook"]["topics"] == ["hoc_phi_rieng", "so_hoa"] and tag["codebook"]["source"] == "my.yml"
    assert tag["inputs"]["passages"] == manifest["ingest"]["outputs"]["passages"]  # made from that very table
    assert manifest["analyze"]["inputs"]["tags"] == tag["outputs"]["tags"]
    assert manifest["analyze"]["parameters"]["topics"] == ["hoc_phi_rieng", "so_hoa"]
    assert {r["source_hash"] for r in manifest.values()} == {build.stage_source_hash(s) for s in manifest}


def test_stage_sources_follow_imports_not_a_list():
    ingest = {p.relative_to(paths.PACKAGE_DIR).as_posix() for p in build.source_files("analysis.corpus.ingest")}
    assert {"corpus/passages.py", "corpus/metadata.py", "text/normalize.py", "data/provinces.csv"} <= ingest
    assert not any(p.startswith(("compare/", "reports/", "topics/")) for p in ingest)
    report = {p.relative_to(paths.PACKAGE_DIR).as_posix()
              for p in build.source_files(str(paths.REPORT_NOTEBOOKS_DIR / "province.py"), "analysis.reports.runner")}
    assert {"compare/profiles.py", "figures.py", "reports/views.py", "reports/display.py"} <= report


@pytest.fixture()
def package_copy(tmp_path, monkeypatch):
    """A copy of the package that ``analysis.build`` hashes instead of the real one."""
    copy = tmp_path / "analysis"
    shutil.copytree(paths.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build.paths, "PACKAGE_DIR", copy)
    monkeypatch.setattr(build.paths, "DATA_DIR", copy / "data")
    build.source_hash.cache_clear()
    yield copy
    build.source_hash.cache_clear()


def test_editing_a_comparison_module_changes_the_report_hash(tmp_path, package_copy):
    job = jobs.ReportJob("province", "p", "p", {"build_dir": str(tmp_path)}, tmp_path,
                         notebook_path=package_copy / "reports/notebooks/province.py")
    before = jobs.inputs_hash(job)
    profiles = package_copy / "compare/profiles.py"
    profiles.write_text(profiles.read_text(encoding="utf-8") + "\n# a fix\n", encoding="utf-8")
    build.source_hash.cache_clear()
    assert jobs.inputs_hash(job) != before


def test_editing_an_ingest_module_changes_the_ingest_hash_only(package_copy):
    before = {stage: build.stage_source_hash(stage) for stage in build.STAGE_MODULES}
    metadata = package_copy / "corpus/metadata.py"
    metadata.write_text(metadata.read_text(encoding="utf-8") + "\n# a new rule\n", encoding="utf-8")
    build.source_hash.cache_clear()
    after = {stage: build.stage_source_hash(stage) for stage in build.STAGE_MODULES}
    assert after["ingest"] != before["ingest"]
    assert after["tag"] == before["tag"] and after["analyze"] == before["analyze"]


def test_missing_and_corrupt_tables_name_the_file_and_the_command(tmp_path):
    with pytest.raises(build.BuildError, match=r"tags.parquet is missing: run `giaoban tag --build .*` first"):
        build.read_table(tmp_path, "tags")
    (tmp_path / "keyness.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(build.BuildError, match=r"keyness.parquet is corrupt \(\w+\); run `giaoban analyze"):
        build.read_table(tmp_path, "keyness")


def test_committing_staged_parts_leaves_out_a_part_whose_writer_was_killed(tmp_path):
    """A worker killed while writing its part leaves a temporary file in the staging folder; the
    task then runs again elsewhere. The published table has the parts and nothing else."""
    staging = build.staging_dir(tmp_path, "ingest")
    for index in (0, 1):
        pd.DataFrame({"doc_id": [f"d{index}"]}).to_parquet(build.staged_part(staging, "documents", index))
    orphan = staging / "documents" / ".part-00001.424242.abc123.tmp.parquet"
    orphan.write_bytes(b"half a parquet file")
    build.commit_staged(tmp_path, staging, ["documents"])
    published = build.table_path(tmp_path, "documents")
    assert sorted(p.name for p in published.iterdir()) == ["part-00000.parquet", "part-00001.parquet"]
    assert build.read_table(tmp_path, "documents")["doc_id"].tolist() == ["d0", "d1"]
    assert not staging.exists()
