#!/usr/bin/python3
"""Every reference to a document in the repository's files points at something that exists.

- a relative markdown link in README.md or docs/*.md names a file or folder of the repository;
- a mention of `docs/NAME.md` anywhere (code comments, scripts, docs) names a file that exists,
  and a section named after it in quotes ("Section") is a heading or a bold term of that file;
- nothing points at documents a clone does not have (the team's SPEC, DESIGN or GPU notes) or at
  an issue tracker by number ("issue 7"): say what the issue was about instead.
"""
import pathlib
import re
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
TEXT_SUFFIXES = {".md", ".h", ".hpp", ".c", ".cpp", ".cu", ".cuh", ".py", ".pyi", ".sh", ".js", ".mjs",
                 ".html", ".css", ".cmake", ".txt", ".json", ".yaml", ".yml", ".sbatch", ".toml", ""}
OUTSIDE = re.compile(r"\b(SPEC|DESIGN|GPU)\.md\b")
ISSUE = re.compile(r"\b[Ii]ssues? #?\d+\b")
DOC_MENTION = re.compile(r'\bdocs/([\w-]+\.md)(?:(?:,|\s)\s*\(?"([^"]+)")?')
MD_LINK = re.compile(r"\]\(([^)\s]*)\)")


def tracked_files():
    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], check=True, capture_output=True).stdout
        names = [n for n in out.decode("utf-8", "surrogateescape").split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and "node_modules" not in p.parts
                 and "build" not in p.parts and ".git" not in p.parts]
    return [root / n for n in names if (root / n).suffix in TEXT_SUFFIXES and (root / n).is_file()]


def sections(doc: pathlib.Path):
    text = doc.read_text(encoding="utf-8")
    headings = [re.sub(r"^#+\s*", "", line).strip() for line in text.splitlines() if line.startswith("#")]
    bold = re.findall(r"\*\*([^*]+)\*\*", text)
    return headings, bold


def section_exists(doc, name):
    headings, bold = sections(doc)
    return any(h.startswith(name) for h in headings) or any(b.startswith(name) for b in bold)


problems = []
checked = 0
for path in tracked_files():
    rel = path.relative_to(root)
    if rel == pathlib.Path("tests/doc_references.py"):
        continue
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        continue
    for n, line in enumerate(text.splitlines(), 1):
        where = f"{rel}:{n}"
        if OUTSIDE.search(line):
            problems.append(f"{where}: points at a document outside the repository: {OUTSIDE.search(line).group(0)}")
        if ISSUE.search(line):
            problems.append(f"{where}: names an issue by number ({ISSUE.search(line).group(0)}): say what it was about")
        for name, section in DOC_MENTION.findall(line):
            checked += 1
            doc = root / "docs" / name
            if not doc.is_file():
                problems.append(f"{where}: docs/{name} does not exist")
            elif section and not section_exists(doc, section):
                problems.append(f'{where}: docs/{name} has no section "{section}"')
        if path.suffix == ".md" and (rel.parts[0] == "docs" or rel == pathlib.Path("README.md")):
            for target in MD_LINK.findall(line):
                target = target.split("#", 1)[0]
                if not target or re.match(r"^(https?|mailto):", target):
                    continue
                checked += 1
                resolved = (path.parent / target).resolve()
                if root not in resolved.parents and resolved != root or not resolved.exists():
                    problems.append(f"{where}: broken link: {target}")

for p in problems:
    print(p, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"{checked} references to documents resolve inside the repository; none points outside it")
