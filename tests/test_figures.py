"""Figures are real images with Vietnamese text, and `giaoban analyze` writes tables and figures."""

import pandas as pd
import pytest
from matplotlib.figure import Figure
from typer.testing import CliRunner

from analysis import figures as fg
from analysis.cli import app
from analysis.compare import profiles as cmp
from analysis.compare.analyze import OUTPUTS, analyze
from analysis.schema import CORE_TOPICS

from _analysis_dev import dev_frames

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def tables():
    return analyze(*dev_frames(), topics=list(CORE_TOPICS), k=4)


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory):
    build = tmp_path_factory.mktemp("build")
    for name, frame in zip(("documents", "passages", "tags"), dev_frames()):
        frame.to_parquet(build / f"{name}.parquet", index=False)
    figures = build / "figures"
    result = CliRunner().invoke(app, ["analyze", "--build", str(build), "--figures", str(figures),
                                      "--k", "4", "--no-progress"])
    return build, figures, result


def test_each_plot_function_returns_a_figure_with_data(tables):
    made = [fg.plot_heatmap(tables["profiles"]), fg.plot_role_shares(tables["profiles_by_role"], "thu_chi"),
            fg.plot_timeline(tables["timeline"], "thu_chi"), fg.plot_dendrogram(tables["similarity"], "topics"),
            fg.plot_keyness(tables["keyness"], "Hà Nội"), fg.plot_theme_words(tables["theme_words"])]
    for fig in made:
        assert isinstance(fig, Figure)
        assert any(ax.has_data() for ax in fig.axes)


def test_heatmap_labels_keep_vietnamese_diacritics(tables):
    fig = fg.plot_heatmap(tables["profiles"])
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "Hòa Bình" in labels and "Lào Cai" in labels


def test_save_figure_writes_png_and_svg(tables, tmp_path):
    png, svg = fg.save_figure(fg.plot_heatmap(tables["profiles"]), tmp_path, "heat")
    assert png.read_bytes().startswith(PNG_MAGIC) and png.stat().st_size > 5000
    assert b"<svg" in svg.read_bytes()[:2000]


def test_analyze_command_writes_every_table_and_figure(analyzed):
    build, figures, result = analyzed
    assert result.exit_code == 0, result.output
    for name in OUTPUTS:
        assert (build / f"{name}.parquet").is_file(), name
    written = sorted(p.name for p in figures.iterdir())
    for stem in ("heatmap_share", "roles_thu_chi", "timeline_thu_chi", "dendrogram_topics", "themes"):
        assert f"{stem}.png" in written and f"{stem}.svg" in written
    assert any(n.startswith("keyness_") for n in written)
    assert all((figures / n).stat().st_size > 1000 for n in written)
    profile = pd.read_parquet(build / "profiles.parquet")
    assert set(profile["group"]) == set(dev_frames()[0]["province"])


def test_analyze_command_explains_missing_inputs(tmp_path):
    result = CliRunner().invoke(app, ["analyze", "--build", str(tmp_path)])
    assert result.exit_code == 2
    assert "documents.parquet is missing" in result.output and "giaoban ingest" in result.output
    bad = CliRunner().invoke(app, ["analyze", "--build", str(tmp_path), "--by", "region"])
    assert bad.exit_code == 2 and "--by" in bad.output


def test_analyze_command_refuses_a_build_without_content_passages(tmp_path):
    documents, passages, tags = dev_frames()
    for name, frame in zip(("documents", "passages", "tags"), (documents, passages.assign(role="context"), tags)):
        frame.to_parquet(tmp_path / f"{name}.parquet", index=False)
    result = CliRunner().invoke(app, ["analyze", "--build", str(tmp_path), "--figures", str(tmp_path / "f"),
                                      "--no-progress"])
    assert result.exit_code == 2 and "no text outside role 'context'" in result.output


def test_profile_against_others_figure_has_both_panels(tables):
    profile = cmp.profile_against_others(tables["profiles_by_role"], "Lào Cai")
    fig = fg.plot_profile_against_others(profile, "Lào Cai", ["thu_chi", "pho_cap"])
    assert [ax.get_title() for ax in fig.axes] == ["Lào Cai", "Average of the other provinces"]
    assert all(ax.has_data() for ax in fig.axes)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["thu_chi", "pho_cap"]
