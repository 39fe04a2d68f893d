"""factcheck: check the numbers and dates of news articles against a YAML facts
file, and flag product promotions inserted into them. Offline; spaCy blank
English plus factcheck's own components.

    from factcheck import Checker
    report = Checker().check_path("article.txt")
    report.as_dict()          # the JSON report of ../shared/contract.md

    from factcheck import scan
    for record in scan(["folder/"], workers=2): ...
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Checker", "Options", "scan", "load_facts", "load_rules", "extract_quantities", "__version__"]


def __getattr__(name: str):
    # Lazy: `import factcheck` stays cheap; spaCy loads on first use.
    if name in ("Checker", "Options"):
        from . import check

        return getattr(check, name)
    if name == "scan":
        from .batch import scan

        return scan
    if name == "load_facts":
        from .facts import load_facts

        return load_facts
    if name == "load_rules":
        from .rules import load_rules

        return load_rules
    if name == "extract_quantities":
        from .quantities import extract_quantities

        return extract_quantities
    raise AttributeError(name)
