"""One way to register a kind: matchers, site hooks and channels each live in a module named for them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from ipwatch.alerts.channels import Channel
from ipwatch.core.registry import Kind
from ipwatch.matchers.base import Matcher
from ipwatch.spiders.hooks import SiteHook

FAMILIES = [Matcher, SiteHook, Channel]


def misnamed(family: type[Kind]) -> dict[str, str]:
    """Kinds of `family` whose module is not `package.NAME`: name → the module that holds it."""
    return {name: kind.__module__ for name, kind in family.discover().items()
            if kind.__module__ != f"{family.package}.{name}"}


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.family)
def test_every_kind_lives_in_the_module_named_for_it(family: type[Kind]) -> None:
    kinds = family.discover()
    assert kinds
    assert misnamed(family) == {}
    assert all(kind.summary() and "\n" not in kind.summary() for kind in kinds.values())


@pytest.fixture
def gadgets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A family of kinds in a package of its own, `gadgets_test_only`, with one module per kind."""
    package = tmp_path / "gadgets_test_only"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from ipwatch.core.registry import Kind\n\n\n"
        "class Gadget(Kind, family='gadget', package=__name__):\n    '''A test family.'''\n", "utf-8")
    for module, name in (("spanner", "spanner"), ("hammer", "mallet")):
        (package / f"{module}.py").write_text(
            f"from . import Gadget\n\n\nclass One(Gadget):\n    '''A {name}.'''\n\n    name = {name!r}\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield __import__("gadgets_test_only").Gadget
    for module in [name for name in sys.modules if name.startswith("gadgets_test_only")]:
        del sys.modules[module]


def test_a_family_finds_its_kinds_by_importing_its_package(gadgets: Any) -> None:
    assert gadgets.registry == {}
    found = gadgets.discover()
    assert {name: kind.summary() for name, kind in found.items()} == {"spanner": "A spanner.", "mallet": "A mallet."}
    assert found["spanner"].__module__ == "gadgets_test_only.spanner"


def test_a_kind_in_a_file_named_otherwise_is_found_out(gadgets: Any) -> None:
    assert misnamed(gadgets) == {"mallet": "gadgets_test_only.hammer"}


def test_a_taken_name_is_refused_at_import(gadgets: Any) -> None:
    gadgets.discover()
    with pytest.raises(TypeError, match="gadget name 'spanner' is taken by gadgets_test_only.spanner.One"):
        type("Another", (gadgets,), {"name": "spanner", "__doc__": "Another spanner."})
    assert gadgets.registry["spanner"].__module__ == "gadgets_test_only.spanner"


def test_a_kind_needs_a_name_and_a_docstring_unless_it_is_a_middle_class(gadgets: Any) -> None:
    with pytest.raises(TypeError, match="must set a class attribute `name`"):
        type("Nameless", (gadgets,), {"__doc__": "No name."})
    with pytest.raises(TypeError, match="gadget 'silent' .* needs a one-line docstring"):
        type("Silent", (gadgets,), {"name": "silent"})
    middle = type("Middle", (gadgets,), {}, abstract=True)
    kind = type("Below", (middle,), {"name": "below", "__doc__": "Under a middle class."})
    assert gadgets.registry == {"below": kind}


def test_families_keep_apart(gadgets: Any) -> None:
    gadgets.discover()
    assert "spanner" not in Matcher.registry and "homophone" not in gadgets.registry
