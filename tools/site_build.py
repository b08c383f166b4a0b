"""make site: the lecture companion as HTML pages, built offline from the committed records and
figures by sphinx-gallery (the convention of Python's example galleries: matplotlib's,
scikit-learn's), nothing trained, nothing executed.

    python tools/site_build.py [--sphinx-build .venv-site/bin/sphinx-build] [--out build/site]

It lays out a Sphinx project in build/site-src: each script as sphinx-gallery reads one (a
docstring titled with its slide, then its `# %%` cells, unchanged), followed by a cell with the
reference figures it makes and the sentences the gallery (figures/README.md, the generator's)
says under them, and how to run it; RESULTS.md and docs/classroom.md as pages; then runs
sphinx-build. sphinx-gallery gives every page the script and a notebook to download. Open
build/site/index.html from disk; tools/site_check.py checks it in a browser."""

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES, FIGURES = REPO / "examples", REPO / "figures"

CONF = '''
project = "Tricks for Improving Neural Network: the runnable companion"
extensions = ["sphinx_gallery.gen_gallery", "myst_parser"]
sphinx_gallery_conf = {
    "examples_dirs": "scripts", "gallery_dirs": "slides",
    "plot_gallery": False,  # nothing runs: the figures are the reference's, from figures/
    "filename_pattern": "^$", "download_all_examples": False, "show_signature": False,
    "within_subsection_order": "FileNameSortKey",  # 01, 01a, 02, ...: the lecture's order
    "write_computation_times": False,  # its page would fetch scripts from the network
    "remove_config_comments": True, "first_notebook_cell": None,
}
html_theme = "alabaster"
html_theme_options = {"font_family": "sans-serif", "head_font_family": "sans-serif",
                      "page_width": "1200px"}
html_static_path = ["_static"]
exclude_patterns = ["_build"]
suppress_warnings = ["myst.header", "toc.not_included"]
'''

INDEX = '''The runnable companion to "Tricks for Improving Neural Network"
=================================================================

One standalone Keras 3 script per slide, each training a small network on MNIST. Every page
has the slide's words, the script cell by cell, the reference figures it draws (made by ``make
report``, redrawn by ``make figures``), what each claim and printed number came to over seeds,
and how to run it; the script and a notebook of it are there to download.

.. toctree::
   :maxdepth: 1

   slides/index
   RESULTS
   classroom
'''


def gallery_sections():
    """The gallery's sections (figures/README.md): (title, command, sentences, figures)."""
    text = (FIGURES / "README.md").read_text()
    found = []
    for block in re.split(r"\n(?=## )", text)[1:]:
        heading, _, body = block.partition("\n")
        title, command = re.match(r"## (.*) — `([^`]*)`", heading).groups()
        sentences = [line[2:] for line in body.splitlines() if line.startswith("- ")]
        images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", body)
        found.append((title, command, sentences, images))
    return found


def rst_text(markdown):
    """A line of the gallery's Markdown as reStructuredText: code, links, bold."""
    text = re.sub(r"`([^`]+)`", r"``\1``", markdown)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)",
                  lambda link: f"`{link.group(1)} <{site_link(link.group(2))}>`__", text)
    return text


def site_link(target):
    """Where a link of figures/README.md or RESULTS.md points in the site."""
    name = target.split("#")[0]
    if name == "RESULTS.md":
        return "../RESULTS.html"
    if name.endswith(".md") or name.endswith(".csv"):
        return f"../_static/figures/{name}"
    return target


def page_of(script, sections):
    """SCRIPT as sphinx-gallery reads it: its slide as the title, its docstring as the text, its
    code cells as they are, then its figures, sentences and commands."""
    source = script.read_text()
    docstring = re.match(r'"""(.*?)"""', source, re.S)
    body = source[docstring.end():] if docstring else source
    words = docstring.group(1) if docstring else ""
    first, _, rest = words.strip().partition("\n")
    title = first.split('"')[1] if first.startswith('Slide "') else first.split(": ")[0]
    mine = [section for section in sections
            if section[1].split()[0] == script.stem]
    thumbnail = next((image for _, _, _, images in mine for image in images), None)
    lines = [f"{title}", "=" * len(title), "", f"*{rst_escape(first)}*", "",
             ".. code-block:: text", ""]
    lines += [f"    {line}" for line in rest.strip().splitlines()]
    lines += ["", "Run it", "------", "", ".. code-block:: bash", "",
              f"    .venv/bin/python examples/{script.name}          # the slide's settings",
              f"    .venv/bin/python examples/{script.name} --quick  # a first look in seconds",
              f"    .venv/bin/python examples/{script.name} -h       # every flag, with its default"]
    lines += [f"    .venv/bin/python examples/{section[1].split()[0]}.py "
              f"{' '.join(section[1].split()[1:])}  # {section[0]}"
              for section in mine if len(section[1].split()) > 1]
    cell = ["", "# %%", "# The reference run", "# -----------------", "#"]
    for title_of, command, sentences, images in mine:
        cell += [f"# **{rst_escape(title_of)}** (``{command}``)", "#"]
        for sentence in sentences:
            cell += [f"# - {rst_text(sentence)}"]
        cell += ["#"]
        for image in images:
            cell += [f"# .. image:: /_static/figures/{image}", "#    :width: 100%", "#"]
    text = '"""\n' + "\n".join(lines).replace('"""', "'''") + '\n"""\n'
    if thumbnail:
        text += f"# sphinx_gallery_thumbnail_path = '_static/figures/{thumbnail}'\n"
    return text + body.rstrip() + "\n" + "\n".join(cell) + "\n"


def rst_escape(text):
    return re.sub(r"([*`_|\\])", r"\\\1", text)


def lay_out(source_dir):
    """The Sphinx project: conf.py, index, the scripts, the pages, the figures."""
    shutil.rmtree(source_dir, ignore_errors=True)
    (source_dir / "scripts").mkdir(parents=True)
    (source_dir / "conf.py").write_text(CONF)
    (source_dir / "index.rst").write_text(INDEX)
    (source_dir / "scripts" / "README.rst").write_text(
        "The scripts, in the lecture's order\n===================================\n\n"
        "Each under its slide's title; open one for its code, figures and verdicts.\n")
    sections = gallery_sections()
    for script in sorted(EXAMPLES.glob("l303-*.py")):
        (source_dir / "scripts" / script.name).write_text(page_of(script, sections))
    shutil.copytree(FIGURES, source_dir / "_static" / "figures",
                    ignore=shutil.ignore_patterns("spread", "*.json"))
    results = (FIGURES / "RESULTS.md").read_text()
    results = re.sub(r"\]\((README\.md)\)", "](slides/index.rst)", results)
    results = re.sub(r"\]\((MEASUREMENTS\.md)[^)]*\)", "](_static/figures/MEASUREMENTS.md)", results)
    results = re.sub(r"\]\(([\w.-]+\.(?:png|csv))\)", r"](_static/figures/\1)", results)
    (source_dir / "RESULTS.md").write_text(results)
    classroom = (REPO / "docs" / "classroom.md").read_text()
    classroom = re.sub(r"\[Back to the README\]\([^)]*\)", "", classroom)
    classroom = re.sub(r"\]\(\.\./figures/([^)]+)\)", r"](_static/figures/\1)", classroom)
    classroom = re.sub(r"\]\(\.\./([^)]+)\)", lambda link: "](" + link.group(1) + ")", classroom)
    (source_dir / "classroom.md").write_text(classroom)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sphinx-build", default=str(REPO / ".venv-site" / "bin" / "sphinx-build"))
    parser.add_argument("--out", type=Path, default=REPO / "build" / "site")
    args = parser.parse_args(argv)
    source_dir = args.out.parent / "site-src"
    lay_out(source_dir)
    shutil.rmtree(args.out, ignore_errors=True)
    completed = subprocess.run([args.sphinx_build, "-q", "-b", "html", str(source_dir),
                                str(args.out)])
    if completed.returncode:
        return completed.returncode
    print(f"Wrote the site: {args.out / 'index.html'} (open it from disk)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
