#!/usr/bin/env bash
# Trunk post-build hook, run in the staging folder before it becomes dist/:
# 0. pkg/ (the split wasm, its chunks and their JavaScript) becomes
#    pkg-<content hash>/, so a host may cache every file in it forever;
# 1. a Content-Security-Policy for index.html that allows the one inline
#    module script by its hash (no 'unsafe-inline'), WebAssembly, and nothing
#    from any other origin;
# 2. sw.js, with the list of every file the build produced and a version that
#    changes whenever any of them does.
set -euo pipefail
staging="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$staging"

pkg_hash=$(find pkg -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
mv pkg "pkg-$pkg_hash"
sed -i "s|\./pkg/|./pkg-$pkg_hash/|g" index.html
# The JavaScript snippets the main module imports: fetched with it, not after.
for snippet in $(find "pkg-$pkg_hash/snippets" -name '*.js' | LC_ALL=C sort); do
  sed -i "s|</head>|  <link rel=\"modulepreload\" href=\"./$snippet\">\n</head>|" index.html
done
# Which wasm files each split point needs (from the loader wasm-split wrote),
# for index.html's start-up script: a link straight to a screen fetches that
# screen's code alongside the main wasm instead of after it.
chunks=$(python3 - "pkg-$pkg_hash/__wasm_split.js" <<'PY'
import json, re, sys
js = open(sys.argv[1], encoding="utf-8").read()
files = {m[0]: m[1] for m in re.findall(r'const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\./([^"]+)"', js)}
groups = {}
for name, own, deps in re.findall(
        r'export const __wasm_split_load_(\w+?)(?:_\d+)? = wrapAsyncCb\(makeLoad\(\(\) => \{\s*'
        r'const src = fetch\(new URL\("\./([^"]+)".*?\n, \[([^\]]*)\]\)\);', js, re.S):
    groups[name] = [own] + [files[d.strip()] for d in deps.split(",") if d.strip()]
for group in ("hearth_records", "hearth_plans", "hearth_more"):
    assert group in groups, f"no split point {group} in {sys.argv[1]}: {sorted(groups)}"
print(json.dumps(groups, separators=(",", ":")))
PY
)
sed -i "s|const chunks = {};|const chunks = $chunks;|" index.html
echo "post-build: pkg-$pkg_hash/ with $(find "pkg-$pkg_hash" -name '*.wasm' | wc -l) wasm files"

script_hash=$(python3 - <<'PY'
import base64, hashlib, re
html = open("index.html", encoding="utf-8").read()
scripts = re.findall(r"<script type=\"module\">(.*?)</script>", html, re.S)
assert len(scripts) == 1, f"expected one inline script, found {len(scripts)}"
print(base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode())
PY
)
csp="default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-${script_hash}'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'"
sed -i "s|<meta charset=\"utf-8\">|<meta charset=\"utf-8\">\n  <meta http-equiv=\"Content-Security-Policy\" content=\"${csp}\">|" index.html
echo "post-build: Content-Security-Policy with script sha256-${script_hash}"

mapfile -t files < <(find . -type f ! -name sw.js ! -name '*.map' | sed 's|^\./||' | LC_ALL=C sort)
version=$(cat "${files[@]}" "$root/public/sw.template.js" | sha256sum | cut -c1-16)
list=$(printf '"./%s",' "${files[@]}")
list="[${list%,}]"
sed -e "s|__VERSION__|$version|" -e "s|__FILES__|$list|" "$root/public/sw.template.js" > sw.js
echo "post-build: precache ${#files[@]} files, version $version"
