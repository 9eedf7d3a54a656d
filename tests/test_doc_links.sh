#!/usr/bin/env bash
# Every reference to a document (markdown links, docs/*.md mentions in code comments and scripts,
# their quoted sections) resolves inside the repository, and none points outside it.
set -u
exec /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/doc_references.py"
