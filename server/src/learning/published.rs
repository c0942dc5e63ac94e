//! Published course versions, kept in memory. A version never changes once
//! published (publishing makes a new one and points the course at it), so
//! its modules with their rendered text (deflated ahead for the pages that
//! show it: [`PreDeflated`]), and each module's quiz questions,
//! are kept by id with nothing to invalidate: a publish is seen at the very
//! next request, which finds the course's new current version, on every
//! instance alike. Ids are never reused (AUTOINCREMENT in SQLite, sequences
//! in PostgreSQL), so a deleted course's entries are merely never asked
//! for again. At most [`KEPT`] of each are kept; the one used longest ago
//! goes first.

use super::models::ModuleRow;
use super::questions::{Question, module_questions};
use crate::db::DbConnection;
use crate::db::schema::modules;
use crate::error::ServerResult;
use crate::pre_deflated::PreDeflated;
use diesel::prelude::*;
use holdspace_app::dto::{CourseVersionId, ModuleId};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Versions (and quizzes) kept: every course's current ones many times
/// over, while all of them together stay a few megabytes.
pub const KEPT: usize = 64;

/// A version's modules in reading order, each with its rendered body.
#[derive(Debug)]
pub struct PublishedModules {
    pub modules: Vec<ModuleRow>,
    pub bodies: Vec<Arc<PreDeflated>>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = modules, check_for_backend(crate::db::MultiBackend))]
struct ModuleWithBody {
    #[diesel(embed)]
    row: ModuleRow,
    body_html: String,
}

impl PublishedModules {
    fn load(conn: &mut DbConnection, version: CourseVersionId) -> ServerResult<Self> {
        let (modules, bodies) = modules::table
            .filter(modules::course_version_id.eq(version))
            .order(modules::position)
            .select(ModuleWithBody::as_select())
            .load(conn)?
            .into_iter()
            .map(|m| (m.row, Arc::new(PreDeflated::new(m.body_html))))
            .unzip();
        Ok(Self { modules, bodies })
    }
}

/// The kept versions and quizzes, shared by every request of this process.
#[derive(Default)]
pub struct PublishedVersions {
    versions: Mutex<Kept<CourseVersionId, PublishedModules>>,
    quizzes: Mutex<Kept<ModuleId, Vec<Question>>>,
}

impl PublishedVersions {
    /// The modules of `version`, read from the database the first time.
    pub fn modules(&self, conn: &mut DbConnection, version: CourseVersionId) -> ServerResult<Arc<PublishedModules>> {
        kept_or_read(&self.versions, version, || PublishedModules::load(conn, version))
    }

    /// The questions of a module's quiz, with their options, in order.
    pub fn questions(&self, conn: &mut DbConnection, module: ModuleId) -> ServerResult<Arc<Vec<Question>>> {
        kept_or_read(&self.quizzes, module, || module_questions(conn, module))
    }
}

fn kept_or_read<K: Copy + Eq + Hash, V>(
    kept: &Mutex<Kept<K, V>>,
    key: K,
    read: impl FnOnce() -> ServerResult<V>,
) -> ServerResult<Arc<V>> {
    // A panic elsewhere cannot leave the map half-written: keep using it.
    let lock = || kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(found) = lock().touch(key) {
        return Ok(found);
    }
    let read = Arc::new(read()?);
    lock().keep(key, read.clone());
    Ok(read)
}

/// At most [`KEPT`] values, each with when it was last used.
struct Kept<K, V> {
    values: HashMap<K, (u64, Arc<V>)>,
    uses: u64,
}

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Self {
            values: HashMap::new(),
            uses: 0,
        }
    }
}

impl<K: Copy + Eq + Hash, V> Kept<K, V> {
    fn touch(&mut self, key: K) -> Option<Arc<V>> {
        self.uses += 1;
        let uses = self.uses;
        self.values.get_mut(&key).map(|(last_used, found)| {
            *last_used = uses;
            found.clone()
        })
    }

    fn keep(&mut self, key: K, value: Arc<V>) {
        if self.values.len() >= KEPT
            && let Some(oldest) = self.values.iter().min_by_key(|(_, (used, _))| *used).map(|(k, _)| *k)
        {
            self.values.remove(&oldest);
        }
        self.uses += 1;
        self.values.insert(key, (self.uses, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modules() -> Arc<PublishedModules> {
        Arc::new(PublishedModules {
            modules: Vec::new(),
            bodies: Vec::new(),
        })
    }

    #[test]
    fn keeps_at_most_its_bound_and_drops_the_one_used_longest_ago() {
        let mut kept = Kept::<CourseVersionId, PublishedModules>::default();
        for v in 0..KEPT as i64 {
            kept.keep(CourseVersionId(v), modules());
        }
        assert!(kept.touch(CourseVersionId(0)).is_some());
        kept.keep(CourseVersionId(1000), modules());
        assert_eq!(kept.values.len(), KEPT);
        assert!(kept.touch(CourseVersionId(0)).is_some(), "used recently, so kept");
        assert!(kept.touch(CourseVersionId(1)).is_none(), "used longest ago, so dropped");
        assert!(kept.touch(CourseVersionId(1000)).is_some());
    }
}
