"""The documents a reader follows: every link and picture in them leads to a file that is there."""

import re

from conftest import REPO

# [text](target) and ![text](target); a web address or an anchor within the page is not a file.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def local_targets(document):
    for target in LINK.findall(document.read_text()):
        if not re.match(r"[a-z]+:", target) and not target.startswith("#"):
            yield target.split("#")[0]


def test_every_link_and_picture_of_the_documents_leads_to_a_file():
    documents = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")),
                 *sorted((REPO / "figures").glob("*.md")), *sorted((REPO / "data").glob("*.md"))]
    missing = [f"{document.relative_to(REPO)}: {target}" for document in documents
               for target in local_targets(document)
               if not (document.parent / target).exists()]
    assert not missing, missing


def test_a_broken_link_is_found(tmp_path):
    document = tmp_path / "README.md"
    document.write_text("[here](here.md), ![a figure](gone.png), [web](https://example.org)")
    (tmp_path / "here.md").write_text("")
    assert [target for target in local_targets(document)
            if not (document.parent / target).exists()] == ["gone.png"]


def test_the_readme_is_a_guide_that_leaves_the_verdicts_to_results():
    """README.md: the commands, the scripts and the classroom in at most 120 lines, the rest in
    docs/; no verdict of a claim (RESULTS.md's generator writes those: a hand-written summary
    drifted from it once)."""
    text = (REPO / "README.md").read_text()
    assert len(text.splitlines()) <= 120
    for verdict in ("within noise", "does not hold", "is reproduced", "not reproduced"):
        assert verdict not in text.lower(), verdict
    assert "within noise" in (REPO / "figures" / "RESULTS.md").read_text()  # the words it looks for
