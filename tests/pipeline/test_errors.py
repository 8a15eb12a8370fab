"""One error hierarchy: every known error is a SamverkanError, importable where it always was."""

from __future__ import annotations

import errno
import importlib

import pytest

from pipeline import errors
from pipeline.errors import SamverkanError, describe

OLD_HOMES = {
    "pipeline.crawl.sources": ["SourcesError"],
    "pipeline.crawl.state": ["CrawlStateError"],
    "pipeline.raw.store": ["RawStoreError"],
    "pipeline.text.extract": ["ExtractError"],
    "pipeline.tables.store": ["StoreLockedError", "StoreWriteError", "RowTypeError"],
    "pipeline.tables.rows": ["RowTypeError"],
    "pipeline.tables.loader": ["DataDirError"],
    "pipeline.report.evaluate": ["GoldError"],
    "pipeline.report.show": ["ShowError", "ArticleNotFoundError"],
    "pipeline.run.reprocess": ["ReprocessError"],
    "pipeline.demo": ["DemoRegistryError", "DemoServerError"],
}


@pytest.mark.parametrize("module", sorted(OLD_HOMES))
def test_old_names_are_the_classes_of_pipeline_errors(module: str) -> None:
    mod = importlib.import_module(module)
    for name in OLD_HOMES[module]:
        cls = getattr(mod, name)
        assert cls is getattr(errors, name)
        assert issubclass(cls, SamverkanError)


def test_every_error_class_of_the_module_is_in_the_hierarchy() -> None:
    classes = [v for v in vars(errors).values() if isinstance(v, type) and issubclass(v, BaseException)]
    assert len(classes) >= 15
    assert all(issubclass(c, SamverkanError) for c in classes)


def test_old_base_classes_still_hold() -> None:
    # callers that catch ValueError / OSError / KeyError keep working
    assert issubclass(errors.SourcesError, ValueError)
    assert issubclass(errors.StoreWriteError, OSError)
    assert issubclass(errors.DataDirError, FileNotFoundError)
    assert issubclass(errors.ArticleNotFoundError, KeyError) and issubclass(errors.ArticleNotFoundError, errors.ShowError)
    assert str(errors.ArticleNotFoundError("no article 'x'")) == "no article 'x'"


def test_describe() -> None:
    assert describe(errors.DataDirError("no processed/ folder in /d")) == "no processed/ folder in /d"
    assert describe(FileNotFoundError(errno.ENOENT, "No such file", "/d/x.toml")) == "no such file: /d/x.toml"
    assert "None" not in (describe(FileNotFoundError("model folder missing")) or "None")
    assert "disk full" in (describe(OSError(errno.ENOSPC, "No space left on device", "/d")) or "")
    assert describe(ZeroDivisionError("bug")) is None
    assert errors.StoreWriteError(errno.ENOSPC, "full").exit_code == 2
