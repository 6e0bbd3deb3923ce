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
# Where cargo puts the wasm (CARGO_TARGET_DIR, when set, is shared with other
# checkouts); what this hook writes stays in this checkout's target/.
built=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/hearth-app.wasm

cargo_args=(build -p hearth-app --bin hearth-app --target wasm32-unknown-unknown --features split)
[ "$profile" = release ] && cargo_args+=(--release)
cargo "${cargo_args[@]}"

rm -rf "$out" "$split"
mkdir -p "$out" "$split"
wasm-split-cli "$built" "$split" \
  --out-name hearth-app --target web
wasm-bindgen --target web --keep-lld-exports --no-demangle \
  --out-dir "$out" --out-name hearth-app "$split/hearth-app.wasm"
rm -f "$out"/*.d.ts
# The chunks and their loader sit beside the main module, which they import.
find "$split" -maxdepth 1 -type f ! -name hearth-app.wasm -exec mv -t "$out" {} +

if [ "$profile" = release ]; then
  # Two at a time: the main wasm takes longest, the chunks are small.
  find "$out" -name '*.wasm' -print0 |
    xargs -0 -P 2 -I{} sh -c 'wasm-opt -Oz "$1" -o "$1.opt" && mv "$1.opt" "$1"' _ {}
fi
echo "build-wasm: $(find "$out" -name '*.wasm' | wc -l) wasm files in $out ($profile)"
