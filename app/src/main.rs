fn main() {
    hearth_app::start();
}
