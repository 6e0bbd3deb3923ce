#!/usr/bin/env bash
# Trunk post-build hook: writes sw.js into the build with the list of every file
# the build produced and a version that changes whenever any of them does.
set -euo pipefail
staging="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
template="$(cd "$(dirname "$0")/.." && pwd)/public/sw.template.js"
cd "$staging"
mapfile -t files < <(find . -type f ! -name sw.js ! -name '*.map' | sed 's|^\./||' | LC_ALL=C sort)
version=$(cat "${files[@]}" "$template" | sha256sum | cut -c1-16)
list=$(printf '"./%s",' "${files[@]}")
list="[${list%,}]"
sed -e "s|__VERSION__|$version|" -e "s|__FILES__|$list|" "$template" > sw.js
echo "precache: ${#files[@]} files, version $version"
