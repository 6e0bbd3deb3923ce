#!/usr/bin/env bash
# Trunk post-build hook, run in the staging folder before it becomes dist/:
# 0. pkg/ (the split wasm, its chunks and their JavaScript) becomes
#    pkg-<content hash>/, so a host may cache every file in it forever;
# 1. index.html takes in what a first visit would otherwise fetch beside the
#    main wasm: app/start.js bundled (esbuild) with wasm-bindgen's glue, its
#    snippets and wasm-split's chunk loader, their fetch() going through
#    app/fetch-once.js (each wasm file a first load needs is requested once);
#    the stylesheet, minified; the icon. Those files leave the build;
# 2. a Content-Security-Policy for index.html that allows that one inline
#    script and one inline stylesheet by their hashes (no 'unsafe-inline'),
#    WebAssembly, and nothing from any other origin;
# 3. sw.js, with the list of every file the build produced and a version that
#    changes whenever any of them does.
set -euo pipefail
staging="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$staging"

pkg_hash=$(find pkg -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
mv pkg "pkg-$pkg_hash"
pkg="pkg-$pkg_hash"
sed -i "s|\./pkg/|./$pkg/|g" index.html
# Which wasm files each split point needs (from the loader wasm-split wrote),
# for the start-up code: a link straight to a screen fetches that screen's
# code alongside the main wasm instead of after it.
chunks=$(python3 - "$pkg/__wasm_split.js" <<'PY'
import json, re, sys
js = open(sys.argv[1], encoding="utf-8").read()
files = {m[0]: m[1] for m in re.findall(r'const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\./([^"]+)"', js)}
groups = {}
for name, own, deps in re.findall(
        r'export const __wasm_split_load_(\w+?)(?:_\d+)? = wrapAsyncCb\(makeLoad\(\(\) => \{\s*'
        r'const src = fetch\(new URL\("\./([^"]+)".*?\n, \[([^\]]*)\]\)\);', js, re.S):
    groups[name] = [own] + [files[d.strip()] for d in deps.split(",") if d.strip()]
screens = ("hearth_records", "hearth_plans", "hearth_more")
for group in screens:
    assert group in groups, f"no split point {group} in {sys.argv[1]}: {sorted(groups)}"
print(json.dumps({group: groups[group] for group in screens}, separators=(",", ":")))
PY
)
echo "post-build: $pkg/ with $(find "$pkg" -name '*.wasm' | wc -l) wasm files"

# The start-up code, bundled into one classic script (strict, as the modules
# it is made of are), which runs where the parser meets it: its request for
# the main wasm goes out before the page has been read to its end, not after
# as a module's would. import.meta.url, which the glue and the chunk loader
# resolve their wasm files against, becomes the pkg folder's address; their
# fetch() is fetch-once.js's hearthFetch, which gives them the responses the
# start-up code started.
esbuild="$root/node_modules/.bin/esbuild"
"$esbuild" "$root/app/start.js" --bundle --format=iife --minify --log-level=warning \
  --log-override:duplicate-object-key=silent \
  --alias:hearth-glue="./$pkg/hearth-app.js" \
  --define:HEARTH_CHUNKS="$chunks" --define:import.meta.url=hearthPkg \
  --inject:"$root/app/fetch-once.js" --define:fetch=hearthFetch \
  --banner:js="\"use strict\";const hearthPkg = new URL(\"./$pkg/\", location.href).href;" \
  --outfile=start.js
"$esbuild" style-*.css --minify --log-level=warning --outfile=style.css
rm -r "$pkg/hearth-app.js" "$pkg/__wasm_split.js" "$pkg/snippets" style-*.css

csp=$(python3 - <<'PY'
import base64, hashlib, pathlib, re, urllib.parse
page = pathlib.Path("index.html")
html = re.sub(r"\s*<!--.*?-->", "", page.read_text(encoding="utf-8"), flags=re.S)
script = pathlib.Path("start.js").read_text(encoding="utf-8").strip()
style = pathlib.Path("style.css").read_text(encoding="utf-8").strip()
svg = pathlib.Path("icons/icon.svg").read_text(encoding="utf-8").strip().replace('"', "'")
icon = urllib.parse.quote(svg, safe=" /:=',")
html, styles = re.subn(r'<link rel="stylesheet" href="[^"]*style-[^"]*\.css"[^>]*>', lambda _: f"<style>{style}</style>", html)
html, icons = re.subn(r'href="icons/icon\.svg"', lambda _: f'href="data:image/svg+xml,{icon}"', html)
assert styles == 1 and icons == 1, f"index.html: {styles} stylesheets, {icons} icons"
# Trunk leaves the skipped Rust step's link, and blank lines where its
# others were: of no use to a browser, and bytes of the one round trip.
html = re.sub(r'\s*<link data-trunk rel="rust"[^>]*>', "", html)
html = re.sub(r"\n\s*\n", "\n", html)
html = html.replace("</head>", f'  <script>{script}</script>\n</head>')
page.write_text(html, encoding="utf-8")
pathlib.Path("start.js").unlink()
pathlib.Path("style.css").unlink()
sha = lambda text: "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
print(f"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {sha(script)}; style-src 'self' {sha(style)}; "
      "img-src 'self' data: blob:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
      "object-src 'none'; base-uri 'self'; form-action 'none'")
PY
)
sed -i "s|<meta charset=\"utf-8\">|<meta charset=\"utf-8\">\n  <meta http-equiv=\"Content-Security-Policy\" content=\"${csp}\">|" index.html
echo "post-build: index.html with the start-up code, the stylesheet and the icon inline"

mapfile -t files < <(find . -type f ! -name sw.js ! -name '*.map' | sed 's|^\./||' | LC_ALL=C sort)
version=$(cat "${files[@]}" "$root/public/sw.template.js" | sha256sum | cut -c1-16)
list=$(printf '"./%s",' "${files[@]}")
list="[${list%,}]"
sed -e "s|__VERSION__|$version|" -e "s|__FILES__|$list|" "$root/public/sw.template.js" > sw.js
echo "post-build: precache ${#files[@]} files, version $version"
