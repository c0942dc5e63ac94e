//! The migrations are embedded in the binary: a new migration folder must
//! rebuild it, which `embed_migrations!` alone does not notice.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
