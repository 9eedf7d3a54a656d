#!/usr/bin/env bash
# Every relative link in README.md and docs/*.md names a file or folder of the repository.
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
broken=0
for doc in "$root"/README.md "$root"/docs/*.md; do
  dir=$(dirname "$doc")
  while IFS= read -r target; do
    target=${target%%#*}
    [ -z "$target" ] && continue
    case $target in http://* | https://* | mailto:*) continue ;; esac
    resolved=$(realpath -m "$dir/$target")
    if [[ $resolved != "$root"/* ]] || [ ! -e "$resolved" ]; then
      echo "${doc#"$root"/}: broken link: $target" >&2
      broken=1
    fi
  done < <(grep -o '\]([^)]*)' "$doc" | sed 's/^](\(.*\))$/\1/')
done
[ $broken = 0 ] && echo "every relative link of README.md and docs/ resolves inside the repository"
exit $broken
