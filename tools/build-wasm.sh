#!/usr/bin/env bash
# Trunk pre_build hook: builds the app's wasm, split into chunks, into
# target/hearth-pkg/, which index.html has Trunk copy to dist/pkg/.
#
# Trunk's own Rust pipeline can't split a wasm (trunk-rs/trunk#1022): the split
# must come between the linker and wasm-bindgen. So this does what Trunk would,
# with the split in the middle, as cargo-leptos does:
#   cargo build (--features split; .cargo/config.toml keeps relocations)
#   → wasm-split-cli: the main wasm, a chunk per split point in app/src/later.rs
#     (and chunks of code that several of them share), and __wasm_split.js,
#     which loads them
#   → wasm-bindgen on the main wasm (--keep-lld-exports: the chunks import from it)
#   → wasm-opt -Oz on every wasm (release only).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
profile=${TRUNK_PROFILE:-release}
out=target/hearth-pkg
split=target/hearth-split

cargo_args=(build -p hearth-app --bin hearth-app --target wasm32-unknown-unknown --features split)
[ "$profile" = release ] && cargo_args+=(--release)
cargo "${cargo_args[@]}"

rm -rf "$out" "$split"
mkdir -p "$out" "$split"
# Cargo's target folder, which CARGO_TARGET_DIR may move (a git worktree's).
built="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/hearth-app.wasm"
wasm-split-cli "$built" "$split" \
  --out-name hearth-app --target web
wasm-bindgen --target web --keep-lld-exports --no-demangle \
  --out-dir "$out" --out-name hearth-app "$split/hearth-app.wasm"
rm -f "$out"/*.d.ts
# The glue less wasm-streams' three exported classes (leptos turns on
# server_fn's `browser` feature, which brings them; nothing in Hearth hands
# one to JavaScript: no import wraps them), so the start-up script inside
# index.html doesn't carry them. Stops the build if the glue changes shape.
python3 - "$out/hearth-app.js" <<'PY'
import re, sys
path = sys.argv[1]
js = open(path, encoding="utf-8").read()
names = ["IntoUnderlyingByteSource", "IntoUnderlyingSink", "IntoUnderlyingSource"]
for name in names:
    assert f"{name}.__wrap" not in js, f"{path}: the glue now makes a {name}; keep it"
    patterns = [
        rf"(?:/\*\*(?:(?!\*/).)*\*/\s*)?export class {name} \{{.*?\n\}}\n",
        rf"if \(Symbol\.dispose\) {name}\.prototype\[Symbol\.dispose\] = {name}\.prototype\.free;\n",
        rf"const {name}Finalization = \(typeof FinalizationRegistry === 'undefined'\)\n.*?\n.*?;\n",
    ]
    for pattern in patterns:
        js, n = re.subn(pattern, "", js, count=1, flags=re.S)
        assert n == 1, f"{path}: no match for {pattern!r}"
js, n = re.subn(r'const __wbindgen_enum_ReadableStreamType = \["bytes"\];\n', "", js)
assert n == 1 and "ReadableStreamType" not in js and "IntoUnderlying" not in js, path
open(path, "w", encoding="utf-8").write(js)
PY
# The chunks and their loader sit beside the main module, which they import.
find "$split" -maxdepth 1 -type f ! -name hearth-app.wasm -exec mv -t "$out" {} +

if [ "$profile" = release ]; then
  # Two at a time: the main wasm takes longest, the chunks are small.
  find "$out" -name '*.wasm' -print0 |
    xargs -0 -P 2 -I{} sh -c 'wasm-opt -Oz "$1" -o "$1.opt" && mv "$1.opt" "$1"' _ {}
fi
echo "build-wasm: $(find "$out" -name '*.wasm' | wc -l) wasm files in $out ($profile)"
