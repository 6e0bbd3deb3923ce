fn main() {
    // The app is mounted in a task of its own, after the one that instantiated
    // the wasm: a slow phone then has two shorter tasks instead of one long one,
    // and can answer a tap between them.
    leptos::prelude::set_timeout(hearth_app::start, std::time::Duration::ZERO);
}
