//! Builds the site the way `cargo leptos build --release` does, with only
//! what this project needs: the browser bundle (the app crate for wasm32,
//! `wasm-bindgen` as a library, then the npm registry's `wasm-opt`), the
//! stylesheet and static files under `target/site`, and the release server.
//!
//! The three files a page loads are then named after their content
//! (`holdspace.<hash>.css`, the hashes listed in `pkg/hash.txt`; the server
//! gives pages one name for the three) and compressed once here, with
//! brotli at its best and gzip, so that the server can send them from
//! memory, cached for a year, without compressing anything per request.
//!
//! cargo-leptos itself takes about 18 minutes to compile on a small machine
//! (it carries its own TLS stacks, a CSS compiler and a file watcher); this
//! takes about one. `[workspace.metadata.leptos]` in the top `Cargo.toml`
//! stays the one place for the names and wasm-opt flags, so
//! `cargo leptos watch` keeps working for anyone who has it.
//!
//!     cargo run --release -p holdspace-site [-- --skip-server]

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The parts of `[[workspace.metadata.leptos]]` this build reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SiteConfig {
    name: String,
    bin_package: String,
    bin_target: String,
    lib_package: String,
    site_root: PathBuf,
    site_pkg_dir: String,
    style_file: PathBuf,
    assets_dir: PathBuf,
    lib_profile_release: String,
    wasm_opt_features: Vec<String>,
}

#[derive(Deserialize)]
struct Manifest {
    workspace: Workspace,
}

#[derive(Deserialize)]
struct Workspace {
    metadata: Metadata,
}

#[derive(Deserialize)]
struct Metadata {
    leptos: Vec<SiteConfig>,
}

fn main() -> ExitCode {
    let skip_server = std::env::args().any(|arg| arg == "--skip-server");
    match build(&workspace_root(), skip_server) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("build-site: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace exists")
}

fn read_config(root: &Path) -> Result<SiteConfig, String> {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    parse_config(&text)
}

fn parse_config(text: &str) -> Result<SiteConfig, String> {
    let manifest: Manifest =
        toml::from_str(text).map_err(|e| format!("[workspace.metadata.leptos] in Cargo.toml: {e}"))?;
    manifest
        .workspace
        .metadata
        .leptos
        .into_iter()
        .next()
        .ok_or_else(|| "Cargo.toml has no [[workspace.metadata.leptos]]".to_owned())
}

fn build(root: &Path, skip_server: bool) -> Result<(), String> {
    let config = read_config(root)?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let site = root.join(&config.site_root);
    let pkg = site.join(&config.site_pkg_dir);
    // Files of earlier builds would otherwise pile up under their old hashes.
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg).map_err(|e| format!("cannot empty {}: {e}", pkg.display()))?;
    }
    std::fs::create_dir_all(&pkg).map_err(|e| format!("cannot create {}: {e}", pkg.display()))?;

    say("Building the browser bundle (wasm32)");
    cargo(
        root,
        &[
            "build",
            "--locked",
            "-p",
            &config.lib_package,
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            &config.lib_profile_release,
            "--no-default-features",
            "--features",
            "hydrate",
        ],
    )?;
    let wasm = target_dir
        .join("wasm32-unknown-unknown")
        .join(&config.lib_profile_release)
        .join(format!("{}.wasm", config.lib_package.replace('-', "_")));
    bindgen(&wasm, &pkg, &config.name)?;
    wasm_opt(&pkg.join(format!("{}_bg.wasm", config.name)), &config.wasm_opt_features)?;

    say("Copying the stylesheet and static files");
    copy(
        &root.join(&config.style_file),
        &pkg.join(format!("{}.css", config.name)),
    )?;
    copy_dir(&root.join(&config.assets_dir), &site)?;
    within_budget(fingerprint(&pkg, &config.name)?)?;

    if !skip_server {
        say("Building the server (release)");
        cargo(
            root,
            &[
                "build",
                "--locked",
                "--release",
                "-p",
                &config.bin_package,
                "--bin",
                &config.bin_target,
            ],
        )?;
    }
    say(&format!("Site ready in {}", site.display()));
    Ok(())
}

fn say(message: &str) {
    eprintln!("\n==> {message}");
}

fn cargo(root: &Path, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {} failed", args.join(" ")))
    }
}

/// `wasm-bindgen --target web`, as a library: `NAME.js` and `NAME_bg.wasm`.
fn bindgen(wasm: &Path, out_dir: &Path, name: &str) -> Result<(), String> {
    say("Generating the JavaScript bindings");
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen.input_path(wasm).out_name(name).typescript(false);
    bindgen.web(true).map_err(|e| e.to_string())?;
    bindgen.generate(out_dir).map_err(|e| format!("wasm-bindgen: {e:#}"))
}

/// Shrinks the bundle with `wasm-opt` from PATH (the npm registry's
/// binaryen: Debian's 108 corrupts today's Rust output).
fn wasm_opt(wasm: &Path, flags: &[String]) -> Result<(), String> {
    say("Optimizing the bundle (wasm-opt)");
    let status = Command::new("wasm-opt")
        .args(flags)
        .arg(wasm)
        .arg("-o")
        .arg(wasm)
        .status()
        .map_err(|e| format!("cannot run wasm-opt ({e}); `npm ci` in .ci/tools installs it"))?;
    if status.success() {
        Ok(())
    } else {
        Err("wasm-opt failed".into())
    }
}

/// What a browser may download of the bundle, script and stylesheet
/// together, brotli-compressed: volunteers reach the site on old phones and
/// slow links. Only the islands' code is in the bundle; a page made
/// interactive as a whole would pull the whole app back in and fail here.
const BUNDLE_BUDGET: usize = 250_000;

fn within_budget(brotli_bytes: usize) -> Result<(), String> {
    say(&format!(
        "The browser downloads {brotli_bytes} bytes (brotli) of bundle, script and stylesheet; the budget is {BUNDLE_BUDGET}"
    ));
    if brotli_bytes <= BUNDLE_BUDGET {
        Ok(())
    } else {
        Err(format!(
            "the browser bundle is over its budget ({brotli_bytes} > {BUNDLE_BUDGET} bytes brotli): \
             keep code that runs in the browser in small #[island] components"
        ))
    }
}

/// Renames the bundle's files after their content and writes a brotli and
/// a gzip copy of each beside it; `hash.txt` lists the hashes the way
/// Leptos reads them (`js: …`, `wasm: …`, `css: …`). Returns the brotli
/// copies' total size: what a browser downloads.
fn fingerprint(pkg: &Path, name: &str) -> Result<usize, String> {
    say("Naming the files after their content and compressing them");
    let mut listing = String::new();
    let mut over_the_wire = 0;
    for (kind, file, extension) in [
        ("js", format!("{name}.js"), "js"),
        ("wasm", format!("{name}_bg.wasm"), "wasm"),
        ("css", format!("{name}.css"), "css"),
    ] {
        let source = pkg.join(&file);
        let bytes = std::fs::read(&source).map_err(|e| format!("cannot read {}: {e}", source.display()))?;
        let hash = content_hash(&bytes);
        let target = pkg.join(format!("{name}.{hash}.{extension}"));
        std::fs::rename(&source, &target).map_err(|e| format!("cannot rename {}: {e}", source.display()))?;
        let brotli = brotli_compressed(&bytes);
        over_the_wire += brotli.len();
        write(&with_suffix(&target, "br"), &brotli)?;
        write(&with_suffix(&target, "gz"), &gzip_compressed(&bytes)?)?;
        listing.push_str(&format!("{kind}: {hash}\n"));
    }
    write(&pkg.join("hash.txt"), listing.as_bytes())?;
    Ok(over_the_wire)
}

/// Sixteen hex digits of the SHA-256: enough that two builds never share a name.
fn content_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn brotli_compressed(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("compressing in memory does not fail");
    out
}

fn gzip_compressed(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if source.is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| e.to_string())?;
            copy_dir(&source, &target)?;
        } else {
            copy(&source, &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_workspace_site_settings() {
        let config = read_config(&workspace_root()).unwrap();
        assert_eq!(config.name, "holdspace");
        assert_eq!(config.lib_package, "holdspace-app");
        assert!(config.wasm_opt_features.iter().any(|f| f == "--enable-reference-types"));
    }

    #[test]
    fn files_are_named_after_their_content_and_compressed_beside_it() {
        let pkg = std::env::temp_dir().join(format!("holdspace-site-test-{}", std::process::id()));
        std::fs::create_dir_all(&pkg).unwrap();
        for (file, text) in [
            ("app.js", "js"),
            ("app_bg.wasm", "wasm"),
            ("app.css", "body { margin: 0 }"),
        ] {
            std::fs::write(pkg.join(file), text.repeat(100)).unwrap();
        }
        let over_the_wire = fingerprint(&pkg, "app").unwrap();
        let listing = std::fs::read_to_string(pkg.join("hash.txt")).unwrap();
        let css_hash = listing.lines().find_map(|l| l.strip_prefix("css: ")).unwrap();
        assert_eq!(css_hash, content_hash("body { margin: 0 }".repeat(100).as_bytes()));
        let css = pkg.join(format!("app.{css_hash}.css"));
        assert_eq!(
            std::fs::read(&css).unwrap(),
            "body { margin: 0 }".repeat(100).as_bytes()
        );
        let mut unpacked = Vec::new();
        brotli::BrotliDecompress(&mut &std::fs::read(with_suffix(&css, "br")).unwrap()[..], &mut unpacked).unwrap();
        assert_eq!(unpacked, "body { margin: 0 }".repeat(100).as_bytes());
        assert!(!pkg.join("app.css").exists(), "only the hashed name is left");
        let brotli_sizes: u64 = std::fs::read_dir(&pkg)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "br"))
            .map(|p| p.metadata().unwrap().len())
            .sum();
        assert_eq!(over_the_wire as u64, brotli_sizes);
        std::fs::remove_dir_all(&pkg).unwrap();
    }

    #[test]
    fn a_bundle_over_its_budget_fails_the_build() {
        assert!(within_budget(BUNDLE_BUDGET).is_ok());
        let refused = within_budget(BUNDLE_BUDGET + 1).unwrap_err();
        assert!(refused.contains("over its budget"), "{refused}");
    }
}
