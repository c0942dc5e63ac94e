//! A course as a `.tar.gz` of its folder in exactly the `courses/` format,
//! for export and import.
//!
//! Unpacking is written out entry by entry rather than with
//! `tar::Archive::unpack`: an upload is untrusted, so every path is checked,
//! links and devices are refused, and the unpacked size is counted as it is
//! read, so a small gzip bomb cannot fill the disk.

use crate::authoring::course_files::{self, CourseContent, Loaded};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Far above any real course: the shipped ones are under 100 KiB unpacked.
const MAX_UNPACKED_BYTES: u64 = 20 * 1024 * 1024;
const MAX_ENTRIES: usize = 2_000;

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("This file is not a .tar.gz archive. Please choose a file exported from Holdspace.")]
    NotAnArchive,
    #[error(
        "The archive holds “{0}”, which is not a plain file or folder. Links and special files are not allowed in a course."
    )]
    NotAFile(String),
    #[error("The archive holds a path that leaves its folder (“{0}”), so it was not opened.")]
    UnsafePath(String),
    #[error(
        "The archive is larger than 20 MiB once unpacked, far more than a course. Please check you chose the right file."
    )]
    TooLarge,
    #[error("The archive holds more than {MAX_ENTRIES} files, far more than a course.")]
    TooManyEntries,
    #[error("could not write a temporary file: {0}")]
    Io(#[from] std::io::Error),
}

/// The course's folder, packed the same way every time: sorted entries,
/// fixed modes and times, so an unchanged course exports to the same bytes.
pub fn pack(course: &CourseContent) -> Result<Vec<u8>, ArchiveError> {
    let dir = tempfile::tempdir()?;
    course_files::write_course(course, dir.path())?;
    let folder = dir.path().join(&course.slug);
    let mut names: Vec<String> = std::fs::read_dir(&folder)?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut builder = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::default()));
    builder.mode(tar::HeaderMode::Deterministic);
    let mut header = tar::Header::new_ustar();
    header.set_entry_type(tar::EntryType::Directory);
    header.set_mode(0o755);
    header.set_mtime(0);
    header.set_size(0);
    builder.append_data(&mut header, format!("{}/", course.slug), std::io::empty())?;
    for name in names {
        let bytes = std::fs::read(folder.join(&name))?;
        let mut header = tar::Header::new_ustar();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_size(bytes.len() as u64);
        builder.append_data(&mut header, format!("{}/{name}", course.slug), bytes.as_slice())?;
    }
    Ok(builder.into_inner()?.finish()?)
}

/// Unpacks an archive into a temporary folder and loads every course in it.
/// Problems name files as they are in the archive (`slug/01-x.md`).
pub fn unpack(bytes: &[u8]) -> Result<Loaded, ArchiveError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(ArchiveError::NotAnArchive);
    }
    let dir = tempfile::tempdir()?;
    let mut archive = tar::Archive::new(GzDecoder::new(bytes));
    let entries = archive.entries().map_err(|_| ArchiveError::NotAnArchive)?;
    let mut unpacked: u64 = 0;
    for (count, entry) in entries.enumerate() {
        if count >= MAX_ENTRIES {
            return Err(ArchiveError::TooManyEntries);
        }
        let mut entry = entry.map_err(|_| ArchiveError::NotAnArchive)?;
        let raw_path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let relative = safe_path(&raw_path)?;
        match entry.header().entry_type() {
            tar::EntryType::Directory => std::fs::create_dir_all(dir.path().join(&relative))?,
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let mut contents = Vec::new();
                let budget = MAX_UNPACKED_BYTES - unpacked;
                (&mut entry)
                    .take(budget + 1)
                    .read_to_end(&mut contents)
                    .map_err(|_| ArchiveError::NotAnArchive)?;
                unpacked += contents.len() as u64;
                if unpacked > MAX_UNPACKED_BYTES {
                    return Err(ArchiveError::TooLarge);
                }
                let target = dir.path().join(&relative);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(target, contents)?;
            }
            // pax and GNU long-name headers describe the next entry; the tar crate applies them.
            tar::EntryType::XHeader | tar::EntryType::XGlobalHeader | tar::EntryType::GNULongName => {}
            _ => return Err(ArchiveError::NotAFile(raw_path)),
        }
    }
    let mut loaded = course_files::load_dir(dir.path());
    for problem in &mut loaded.problems {
        if let Ok(inside) = problem.file.strip_prefix(dir.path()) {
            problem.file = inside.to_owned();
        }
    }
    Ok(loaded)
}

/// A relative path with only normal components.
fn safe_path(raw: &str) -> Result<PathBuf, ArchiveError> {
    let path = Path::new(raw);
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => clean.push(part),
            Component::CurDir => {}
            _ => return Err(ArchiveError::UnsafePath(raw.to_owned())),
        }
    }
    if clean.as_os_str().is_empty() {
        return Err(ArchiveError::UnsafePath(raw.to_owned()));
    }
    Ok(clean)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authoring::course_files::{content_hash, load_dir};
    use std::io::Write;

    fn shipped() -> Vec<CourseContent> {
        let loaded = load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../courses"));
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        loaded.courses
    }

    /// A .tar.gz whose one entry has exactly this name, type and contents,
    /// written header by header so that names `tar::Builder` refuses can be tested.
    fn raw_archive(name: &str, kind: tar::EntryType, contents: &[u8]) -> Vec<u8> {
        let mut header = tar::Header::new_gnu();
        header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        header.set_entry_type(kind);
        header.set_mode(0o644);
        header.set_size(contents.len() as u64);
        if kind == tar::EntryType::Symlink {
            header.set_link_name("/etc/passwd").unwrap();
        }
        header.set_cksum();
        let mut tar = header.as_bytes().to_vec();
        tar.extend_from_slice(contents);
        tar.resize(tar.len().div_ceil(512) * 512 + 1024, 0);
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(&tar).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn every_shipped_course_comes_back_from_its_archive_unchanged() {
        for course in shipped() {
            let archive = pack(&course).unwrap();
            assert_eq!(
                pack(&course).unwrap(),
                archive,
                "{}: packing is deterministic",
                course.slug
            );
            let loaded = unpack(&archive).unwrap();
            assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
            assert_eq!(loaded.courses, vec![course.clone()]);
            assert_eq!(content_hash(&loaded.courses[0]), content_hash(&course));
        }
    }

    #[test]
    fn paths_that_leave_the_folder_links_and_garbage_are_refused() {
        let escaping = raw_archive("../evil.md", tar::EntryType::Regular, b"x");
        assert!(matches!(unpack(&escaping), Err(ArchiveError::UnsafePath(p)) if p == "../evil.md"));
        let absolute = raw_archive("/tmp/evil.md", tar::EntryType::Regular, b"x");
        assert!(matches!(unpack(&absolute), Err(ArchiveError::UnsafePath(_))));
        let link = raw_archive("course/link", tar::EntryType::Symlink, b"");
        assert!(matches!(unpack(&link), Err(ArchiveError::NotAFile(p)) if p == "course/link"));
        assert!(matches!(unpack(b"just some text"), Err(ArchiveError::NotAnArchive)));
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_size_limit() {
        let huge = vec![b'a'; (MAX_UNPACKED_BYTES + 1) as usize];
        let bomb = raw_archive("course/01-big.md", tar::EntryType::Regular, &huge);
        assert!(bomb.len() < 100_000, "the bomb is small packed: {}", bomb.len());
        assert!(matches!(unpack(&bomb), Err(ArchiveError::TooLarge)));
    }

    #[test]
    fn problems_name_files_as_they_are_in_the_archive() {
        let mut course = shipped().remove(0);
        let quiz = course.modules.iter_mut().find_map(|m| m.quiz.as_mut()).unwrap();
        for option in &mut quiz.questions[0].options {
            option.correct = true;
        }
        let loaded = unpack(&pack(&course).unwrap()).unwrap();
        assert!(loaded.courses.is_empty());
        let file = loaded.problems[0].file.to_string_lossy().into_owned();
        assert!(
            file.starts_with(&format!("{}/", course.slug)) && file.ends_with(".quiz.toml"),
            "{file}"
        );
    }

    proptest::proptest! {
        /// Any bytes: an error or courses, never a panic.
        #[test]
        fn any_bytes_unpack_or_are_refused(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            let _ = unpack(&bytes);
        }

        /// Any entry name: refused, or a path that stays inside the folder.
        #[test]
        fn no_entry_name_leaves_the_folder(name in "[a-z./\\\\:~ ]{1,40}") {
            if let Ok(relative) = safe_path(&name) {
                proptest::prop_assert!(relative.is_relative());
                proptest::prop_assert!(relative.components().all(|c| matches!(c, Component::Normal(_))), "{:?}", relative);
                let base = Path::new("/srv/unpack");
                proptest::prop_assert!(base.join(&relative).starts_with(base));
            }
        }

        /// Archives whose one entry has any name: unpacked inside, or refused.
        #[test]
        fn archives_with_hostile_names_are_refused_or_contained(name in "[a-z./\\\\]{1,60}") {
            let archive = raw_archive(&name, tar::EntryType::Regular, b"x");
            let _ = unpack(&archive);
        }
    }
}
