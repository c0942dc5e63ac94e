//! Font files: Libertinus Serif (shipped inside typst-assets) for the
//! certificate's own words, and Noto Serif for the scripts Libertinus does not
//! cover, so that a name in Arabic, Hebrew, Devanagari, Chinese, Japanese,
//! Korean or Thai prints as itself rather than as empty boxes.
//!
//! Noto comes from the system's font folder (Debian's `fonts-noto-core` and
//! `fonts-noto-cjk`; `HOLDSPACE_FONT_DIR` names another folder holding the
//! same files) rather than from this repository or the binary: the files
//! weigh 130 MB and a server whose learners write in Latin letters needs none
//! of them. Small files are kept once read; the CJK collections (26 MB each)
//! are read for the one document that needs them and dropped with it, so they
//! never stay in a small server's memory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use unicode_script::Script;

/// Files larger than this are read for each document rather than kept.
const KEEP_UP_TO: u64 = 4 * 1024 * 1024;

/// How a font's glyphs are drawn, which decides how a PDF embeds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outlines {
    /// PostScript outlines (a `CFF ` table): embedded as CIDFontType0C.
    Cff,
    /// TrueType outlines (`glyf`): embedded as a whole subset font, CIDFontType2.
    TrueType,
}

/// The weight a run of text is set in; fallbacks follow the face they stand in for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Weight {
    Regular,
    Bold,
}

impl Weight {
    fn file_suffix(self) -> &'static str {
        match self {
            Weight::Regular => "Regular",
            Weight::Bold => "Bold",
        }
    }
}

enum FontBytes {
    Shipped(&'static [u8]),
    Read(Vec<u8>),
}

/// One face of a font file, with what embedding it needs to know.
pub(super) struct FontFile {
    bytes: FontBytes,
    pub(super) index: u32,
    pub(super) postscript_name: String,
    pub(super) outlines: Outlines,
    /// The shaper's view of a shipped face, built once: building it reads
    /// the layout tables, which costs more than shaping a line.
    shaper: Option<rustybuzz::Face<'static>>,
}

impl std::fmt::Debug for FontFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontFile")
            .field("postscript_name", &self.postscript_name)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

/// Why a font could not be used; a build or installation problem, not a user's.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("the font {0:?} is not among typst-assets' fonts")]
    Missing(&'static str),
    #[error("the font could not be subset: {0}")]
    Subset(String),
}

impl FontFile {
    /// A face among typst-assets' fonts, by its full name.
    pub(super) fn shipped(full_name: &'static str) -> Result<Self, FontError> {
        typst_assets::fonts()
            .find_map(|data| {
                let face = ttf_parser::Face::parse(data, 0).ok()?;
                (name(&face, ttf_parser::name_id::FULL_NAME)? == full_name)
                    .then(|| Self::new(FontBytes::Shipped(data), 0))
                    .flatten()
            })
            .ok_or(FontError::Missing(full_name))
    }

    fn new(bytes: FontBytes, index: u32) -> Option<Self> {
        let data = match &bytes {
            FontBytes::Shipped(data) => data,
            FontBytes::Read(data) => data.as_slice(),
        };
        let face = ttf_parser::Face::parse(data, index).ok()?;
        let postscript_name = name(&face, ttf_parser::name_id::POST_SCRIPT_NAME)?;
        let outlines = if face.tables().cff.is_some() {
            Outlines::Cff
        } else {
            Outlines::TrueType
        };
        let shaper = match bytes {
            FontBytes::Shipped(data) => rustybuzz::Face::from_slice(data, index),
            FontBytes::Read(_) => None,
        };
        Some(Self {
            bytes,
            index,
            postscript_name,
            outlines,
            shaper,
        })
    }

    pub(super) fn data(&self) -> &[u8] {
        match &self.bytes {
            FontBytes::Shipped(data) => data,
            FontBytes::Read(data) => data,
        }
    }

    /// The parsed face; parsing reads only the table directory, so it is cheap.
    pub(super) fn face(&self) -> ttf_parser::Face<'_> {
        ttf_parser::Face::parse(self.data(), self.index).expect("parsed when the file was loaded")
    }
}

impl FontFile {
    /// Runs `shape` with the shaper's view of this face.
    pub(super) fn with_shaper<R>(&self, shape: impl FnOnce(&rustybuzz::Face<'_>) -> R) -> R {
        match &self.shaper {
            Some(face) => shape(face),
            None => shape(&rustybuzz::Face::from_face(self.face())),
        }
    }
}

fn name(face: &ttf_parser::Face<'_>, id: u16) -> Option<String> {
    face.names()
        .into_iter()
        .find(|n| n.name_id == id && n.is_unicode())
        .and_then(|n| n.to_string())
}

/// Where a fallback for `script` lives, as a file name and, for a collection,
/// the face's language tag (the CJK collections hold one face per language).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct FallbackKey {
    file: String,
    language: Option<&'static str>,
}

impl FallbackKey {
    /// The Noto Serif file for `script`; `cjk` is the language whose glyph
    /// shapes Han characters take in this text (JP with kana, KR with hangul).
    pub(super) fn for_script(script: Script, weight: Weight, cjk: &'static str) -> Self {
        let weight = weight.file_suffix();
        let (file, language) = match script {
            Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo => {
                (format!("NotoSerifCJK-{weight}.ttc"), Some(cjk))
            }
            Script::Arabic => (format!("NotoNaskhArabic-{weight}.ttf"), None),
            Script::Latin | Script::Greek | Script::Cyrillic | Script::Common | Script::Inherited | Script::Unknown => {
                (format!("NotoSerif-{weight}.ttf"), None)
            }
            other => (
                format!("NotoSerif{}-{weight}.ttf", other.full_name().replace('_', "")),
                None,
            ),
        };
        Self { file, language }
    }

    /// The same file in the regular weight, the sans-serif design, or both:
    /// many scripts have only some of these.
    fn alternatives(&self) -> impl Iterator<Item = String> + '_ {
        let regular = self.file.replace("-Bold.", "-Regular.");
        [
            self.file.clone(),
            regular.clone(),
            self.file.replacen("NotoSerif", "NotoSans", 1),
            regular.replacen("NotoSerif", "NotoSans", 1),
        ]
        .into_iter()
    }
}

fn font_dirs() -> Vec<PathBuf> {
    let root = std::env::var_os("HOLDSPACE_FONT_DIR").map_or_else(|| PathBuf::from("/usr/share/fonts"), PathBuf::from);
    vec![root.join("truetype/noto"), root.join("opentype/noto"), root]
}

/// Loaded fallbacks (and those found missing), by key; only files up to
/// [`KEEP_UP_TO`] are kept.
static KEPT: Mutex<Option<HashMap<FallbackKey, Option<Arc<FontFile>>>>> = Mutex::new(None);

/// The fallback font for `key`, or `None` when no such file is installed.
pub(super) fn fallback(key: &FallbackKey) -> Option<Arc<FontFile>> {
    if let Some(known) = KEPT.lock().ok().and_then(|kept| kept.as_ref()?.get(key).cloned()) {
        return known;
    }
    let dirs = font_dirs();
    let path = key
        .alternatives()
        .find_map(|file| dirs.iter().map(|dir| dir.join(&file)).find(|path| path.is_file()));
    let Some(path) = path else {
        keep(key, None);
        return None;
    };
    let (font, size) = read(&path, key.language)?;
    let font = Arc::new(font);
    if size <= KEEP_UP_TO {
        keep(key, Some(font.clone()));
    }
    Some(font)
}

fn keep(key: &FallbackKey, font: Option<Arc<FontFile>>) {
    if let Ok(mut kept) = KEPT.lock() {
        kept.get_or_insert_with(HashMap::new).insert(key.clone(), font);
    }
}

/// Reads a font file; in a collection, the face whose name ends in `language`.
fn read(path: &Path, language: Option<&str>) -> Option<(FontFile, u64)> {
    let data = std::fs::read(path)
        .inspect_err(|error| tracing::warn!(path = %path.display(), %error, "a fallback font could not be read"))
        .ok()?;
    let size = data.len() as u64;
    let faces = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
    let index = (0..faces)
        .find(|&index| {
            let Some(language) = language else { return true };
            ttf_parser::Face::parse(&data, index)
                .ok()
                .and_then(|face| name(&face, ttf_parser::name_id::FAMILY))
                .is_some_and(|family| family.ends_with(language))
        })
        .unwrap_or(0);
    Some((FontFile::new(FontBytes::Read(data), index)?, size))
}
