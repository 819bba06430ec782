"""Country pages describe their own economy: their key findings, conclusion and commands.

Each country page is a chapter's notebook run for another economy (``book/runs.toml``). Its prose is
Markdown with glued values; this test reads the executed pages, fills in the glued text as the book
shows it, and checks that what the page concludes is about the page's economy.
"""

from __future__ import annotations

import json
import re
import tomllib

import pytest

from analysis.style.format import country as name

from .conftest import REPO_ROOT

RUNS = tomllib.loads((REPO_ROOT / "book" / "runs.toml").read_text())["run"]
COUNTRY_PAGES = [r for r in RUNS if "country" in r.get("parameters", {})]
GLUE = re.compile(r"\{glue(?::text|:md)?\}`([^`]+)`")


def glued(notebook: dict) -> dict[str, str]:
    """The text each glue name shows in the book (its Markdown output, else its plain text)."""
    out = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            data = output.get("data", {})
            text = data.get("application/papermill.record/text/markdown")
            if text is None and "application/papermill.record/text/plain" in data:
                text = data["application/papermill.record/text/plain"].strip("'\"")
            if key and text is not None:
                out[key] = text
    return out


def rendered(notebook: dict) -> str:
    """The page's Markdown with every glued value filled in."""
    values = glued(notebook)
    text = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    return GLUE.sub(lambda m: values.get(m.group(1).split("::")[-1], f"<missing {m.group(1)}>"), text)


def parts(text: str) -> dict[str, str]:
    """The key-findings box, the conclusion section and the shell commands of a rendered page."""
    key = re.search(r"```\{admonition\} Key findings.*?```", text, re.DOTALL)
    conclusion = re.search(r"^## Conclusion\n(.*?)(?=^## |\Z)", text, re.DOTALL | re.MULTILINE)
    commands = "\n".join(re.findall(r"```bash\n(.*?)```", text, re.DOTALL))
    return {
        "key findings": key.group(0) if key else "",
        "conclusion": conclusion.group(1) if conclusion else "",
        "commands": commands,
    }


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


@pytest.fixture(scope="module", params=COUNTRY_PAGES, ids=lambda r: r["name"])
def page(request):
    run = request.param
    notebook = json.loads((REPO_ROOT / run["output"]).read_text())
    return run["parameters"]["country"], parts(rendered(notebook))


def test_country_page_has_its_parts(page):
    _, found = page
    assert found["key findings"] and found["conclusion"], "a country page lost its key findings or conclusion"


def test_key_findings_and_conclusion_name_the_pages_economy(page):
    country, found = page
    for part in ("key findings", "conclusion"):
        assert name(country) in found[part], f"{part} never names {name(country)}"


def test_viet_nam_appears_only_beside_the_pages_economy_or_the_paper(page):
    # On another economy's page, a sentence about Viet Nam alone is a sentence from the Viet Nam page.
    country, found = page
    for part in ("key findings", "conclusion"):
        for sentence in sentences(found[part]):
            if "Viet Nam" in sentence or "Vietnam" in sentence:
                assert name(country) in sentence or "paper" in sentence, f"{part}: {sentence!r}"


def test_commands_reproduce_the_pages_economy(page):
    country, found = page
    named = re.findall(r"--country[ =](\w+)", found["commands"])
    assert all(code == country for code in named), f"commands name {named}, the page is {country}"
