//! The app's wasm keeps its relocations (`--emit-relocs`): `wasm-split-cli` needs them to cut the
//! pages of `src/split_pages.rs` into chunks (scripts/lib.sh `split_app`).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_FAMILY").as_deref() == Ok("wasm") {
        println!("cargo:rustc-link-arg-bin=lookout-app=--emit-relocs");
    }
}
