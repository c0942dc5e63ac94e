//! Printable documents beside the courses: the facilitator toolkit
//! (`toolkit/<id>.md`, for everyone) and each course's trainer's guide
//! (`<course>/trainer-guide.md`, for staff). A small plain format, printed
//! as PDF by the server: `# ` title, `## ` heading, `- ` bullet, `> ` note,
//! `___` a line to write on, anything else a paragraph.

use super::*;

/// Who a printable is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The facilitator toolkit: anyone may print it.
    Everyone,
    /// A trainer's guide: staff only.
    Staff,
}

/// A printable document as read from its file.
#[derive(Clone, Debug, PartialEq)]
pub struct PrintableFile {
    /// The toolkit file's name without `.md`, or the guide's course slug.
    pub key: String,
    pub audience: Audience,
    pub title: String,
    pub text: String,
}

/// Larger is a book, not a handout.
const MAX_BYTES: u64 = 64 * 1024;

/// Reads one printable; a file without a `# ` title on its first line is a problem.
fn read_printable(path: &Path, key: String, audience: Audience, problems: &mut Vec<Problem>) -> Option<PrintableFile> {
    if std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) > MAX_BYTES {
        problems.push(Problem::at(
            path.to_owned(),
            0,
            format!("a printable is at most {MAX_BYTES} bytes"),
        ));
        return None;
    }
    let text = read(path, problems)?;
    let Some(title) = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        problems.push(Problem::at(
            path.to_owned(),
            1,
            "a printable starts with its title: a line \"# Title\"",
        ));
        return None;
    };
    Some(PrintableFile {
        key,
        audience,
        title: title.to_owned(),
        text,
    })
}

/// The toolkit in `dir/toolkit`, by file name.
pub(super) fn load_toolkit(dir: &Path, problems: &mut Vec<Problem>) -> Vec<PrintableFile> {
    let Ok(entries) = std::fs::read_dir(dir.join("toolkit")) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    let mut read = Vec::with_capacity(paths.len());
    for path in paths {
        let key = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        if !course_rules::is_slug(&key) {
            problems.push(Problem::at(
                path,
                0,
                "a toolkit file's name must be lowercase letters, digits and dashes",
            ));
            continue;
        }
        read.extend(read_printable(&path, key, Audience::Everyone, problems));
    }
    read
}

/// The trainer's guide in a course's folder, if it has one.
pub(super) fn load_guide(folder: &Path, course: &str, problems: &mut Vec<Problem>) -> Option<PrintableFile> {
    let path = folder.join(TRAINER_GUIDE);
    path.exists()
        .then(|| read_printable(&path, course.to_owned(), Audience::Staff, problems))
        .flatten()
}

/// The trainer's guide's file name in a course's folder.
pub(super) const TRAINER_GUIDE: &str = "trainer-guide.md";
