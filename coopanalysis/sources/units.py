"""The units glossary (``data/units.yaml``): responsible units spelled out, one name per unit.

A plan names its responsible units (หน่วยงานรับผิดชอบ) mostly by abbreviation (``คสท.``) and
sometimes in full on a project sheet. The glossary maps each abbreviation to its full Thai name
(``name``, ``""`` until someone fills it from a source) and to other spellings (``aliases``)::

    คสท.:
      name: ""
      aliases: []

so that a unit written in full and by its abbreviation is one unit: :meth:`Glossary.canonical`
maps an abbreviation, an alias or the full name to the abbreviation (the key), and
:meth:`Glossary.full_name` gives the full name. Spellings are compared after
:func:`coopanalysis.text.thai.match_key` (Thai normalised, digits Arabic, spaces ignored), so a name
broken over two lines still matches. A unit the glossary does not know is its own canonical
form, with no full name.

The file is read with the bounded YAML loader (:mod:`coopanalysis.io.yamlsafe`); anything malformed
is an :class:`~coopanalysis.errors.InputError` naming the file and line. Nothing is cached: each
:func:`load` reads the file.

>>> g = Glossary.from_mapping({"กพร.": {"name": "กองพัฒนาระบบ", "aliases": ["กพร"]}})
>>> g.canonical("กพร"), g.canonical("กอง พัฒนาระบบ"), g.canonical("คสท."), g.full_name("กพร.")
('กพร.', 'กพร.', 'คสท.', 'กองพัฒนาระบบ')
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from coopanalysis.errors import InputError
from coopanalysis.io.safeio import display_path
from coopanalysis.io.yamlsafe import load_file_with_node
from coopanalysis.paths import DATA
from coopanalysis.text.thai import match_key

__all__ = ["GLOSSARY", "Glossary", "Unit", "load", "canonical", "full_name"]

#: The bundled glossary.
GLOSSARY = DATA / "units.yaml"
_FIELDS = ("name", "aliases")


@dataclass(frozen=True)
class Unit:
    """One glossary entry: the abbreviation (the key), its full name ('' when unknown), aliases."""

    abbreviation: str
    name: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Glossary:
    """Units by abbreviation, and every spelling (by match key) -> its abbreviation."""

    units: dict[str, Unit] = field(default_factory=dict)
    spellings: dict[str, str] = field(default_factory=dict)
    path: str = ""

    @classmethod
    def from_mapping(cls, data, path: str = "<units>", lines: dict | None = None) -> Glossary:
        """A glossary from parsed YAML (abbreviation -> {name, aliases}); see the module doc.
        A spelling that would name two units is refused.

        >>> Glossary.from_mapping({"ก.": {"aliases": ["ข."]}, "ข.": {}})
        Traceback (most recent call last):
        ...
        coopanalysis.errors.InputError: <units>: 'ข.' is an alias of 'ก.' and also a unit of its own
        >>> Glossary.from_mapping({"ก.": {"name": "กองหนึ่ง"}, "ข.": {"aliases": ["กองหนึ่ง"]}})
        Traceback (most recent call last):
        ...
        coopanalysis.errors.InputError: <units>: 'กองหนึ่ง' names both 'ก.' and 'ข.'
        """
        lines = lines or {}
        if data is None:
            return cls({}, {}, path)
        if not isinstance(data, dict):
            raise InputError(f"expected a mapping of unit abbreviations, got {type(data).__name__}", path=path, line=1)
        units: dict[str, Unit] = {}
        spellings: dict[str, str] = {}
        for key, entry in data.items():
            line = lines.get(key if isinstance(key, str) else str(key))  # YAML `1:` is the int 1
            unit = _entry(key, entry, path, line)
            for spelling in (unit.abbreviation, unit.name, *unit.aliases):
                mk = match_key(spelling) if spelling else ""
                if not mk:
                    continue
                other = spellings.get(mk)
                if other is not None and other != unit.abbreviation:
                    if spelling == unit.abbreviation:
                        message = f"{spelling!r} is an alias of {other!r} and also a unit of its own"
                    else:
                        message = f"{spelling!r} names both {other!r} and {unit.abbreviation!r}"
                    raise InputError(message, path=path, line=line)
                spellings[mk] = unit.abbreviation
            units[unit.abbreviation] = unit
        return cls(units, spellings, path)

    def canonical(self, unit: str) -> str:
        """The abbreviation for any spelling of *unit*; an unknown unit as given (trimmed)."""
        text = "" if unit is None else str(unit).strip()
        return self.spellings.get(match_key(text), text)

    def full_name(self, unit: str) -> str:
        """The full name of *unit* (any spelling); '' when the glossary does not give one."""
        entry = self.units.get(self.canonical(unit))
        return entry.name if entry is not None else ""


def _entry(key, entry, path: str, line: int | None) -> Unit:
    """One checked glossary entry."""
    if not isinstance(key, str) or not key.strip():
        raise InputError(f"a unit abbreviation must be non-empty text, got {key!r}", path=path, line=line)
    abbreviation = key.strip()
    entry = {} if entry is None else entry
    if not isinstance(entry, dict):
        raise InputError(f"{abbreviation!r}: expected name and aliases, got {type(entry).__name__}",
                         path=path, line=line)
    unknown = sorted(str(k) for k in entry if k not in _FIELDS)
    if unknown:
        raise InputError(f"{abbreviation!r}: unknown field {unknown[0]!r}; valid fields: name, aliases",
                         path=path, line=line)
    name = entry.get("name")
    name = "" if name is None else name
    aliases = entry.get("aliases")
    aliases = [] if aliases is None else aliases
    if not isinstance(name, str):
        raise InputError(f"{abbreviation!r}: name must be text, got {type(name).__name__}", path=path, line=line)
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise InputError(f"{abbreviation!r}: aliases must be a list of non-empty texts", path=path, line=line)
    return Unit(abbreviation, name.strip(), tuple(a.strip() for a in aliases))


def _entry_lines(node) -> dict:
    """Key -> 1-based line of each top-level entry of a mapping node (for messages)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _v in node.value if isinstance(k, yaml.ScalarNode)}


def load(path: str | os.PathLike | None = None) -> Glossary:
    """Read a units glossary. Without *path*, the bundled ``data/units.yaml`` (an empty
    glossary when the toolkit is installed without its data); a *path* given must exist."""
    if path is None:
        if not GLOSSARY.is_file():
            return Glossary({}, {}, str(GLOSSARY))
        path = GLOSSARY
    data, node = load_file_with_node(Path(path))
    return Glossary.from_mapping(data, display_path(path), _entry_lines(node))


def canonical(unit: str, glossary: Glossary | None = None) -> str:
    """The abbreviation for any spelling of *unit* (glossary: the bundled one by default)."""
    return (glossary if glossary is not None else load()).canonical(unit)


def full_name(unit: str, glossary: Glossary | None = None) -> str:
    """The full name of *unit*, '' when unknown (glossary: the bundled one by default)."""
    return (glossary if glossary is not None else load()).full_name(unit)
