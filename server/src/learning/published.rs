//! Published course versions, kept in memory. A version never changes once
//! published (publishing makes a new one and points the course at it), so
//! its modules and their rendered text are kept by version id with nothing
//! to invalidate: a publish is seen at the very next request, which finds
//! the course's new current version, on every instance alike. At most
//! [`KEPT`] versions are kept; the one used longest ago goes first.

use super::models::ModuleRow;
use crate::db::DbConnection;
use crate::db::schema::modules;
use crate::error::ServerResult;
use diesel::prelude::*;
use holdspace_app::dto::CourseVersionId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Versions kept: every course's current one many times over, while the
/// text of all of them stays a few megabytes.
pub const KEPT: usize = 64;

/// A version's modules in reading order, each with its rendered body.
#[derive(Debug)]
pub struct PublishedModules {
    pub modules: Vec<ModuleRow>,
    pub bodies: Vec<String>,
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
            .map(|m| (m.row, m.body_html))
            .unzip();
        Ok(Self { modules, bodies })
    }
}

/// The kept versions, shared by every request of this process.
#[derive(Default)]
pub struct PublishedVersions {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    versions: HashMap<CourseVersionId, (u64, Arc<PublishedModules>)>,
    uses: u64,
}

impl PublishedVersions {
    /// The modules of `version`, read from the database the first time.
    pub fn modules(&self, conn: &mut DbConnection, version: CourseVersionId) -> ServerResult<Arc<PublishedModules>> {
        if let Some(found) = self.kept().touch(version) {
            return Ok(found);
        }
        let loaded = Arc::new(PublishedModules::load(conn, version)?);
        self.kept().keep(version, loaded.clone());
        Ok(loaded)
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic elsewhere cannot leave the map half-written: keep using it.
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Kept {
    fn touch(&mut self, version: CourseVersionId) -> Option<Arc<PublishedModules>> {
        self.uses += 1;
        let uses = self.uses;
        self.versions.get_mut(&version).map(|(last_used, found)| {
            *last_used = uses;
            found.clone()
        })
    }

    fn keep(&mut self, version: CourseVersionId, modules: Arc<PublishedModules>) {
        if self.versions.len() >= KEPT
            && let Some(oldest) = self.versions.iter().min_by_key(|(_, (used, _))| *used).map(|(v, _)| *v)
        {
            self.versions.remove(&oldest);
        }
        self.uses += 1;
        self.versions.insert(version, (self.uses, modules));
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
        let mut kept = Kept::default();
        for v in 0..KEPT as i64 {
            kept.keep(CourseVersionId(v), modules());
        }
        assert!(kept.touch(CourseVersionId(0)).is_some());
        kept.keep(CourseVersionId(1000), modules());
        assert_eq!(kept.versions.len(), KEPT);
        assert!(kept.touch(CourseVersionId(0)).is_some(), "used recently, so kept");
        assert!(kept.touch(CourseVersionId(1)).is_none(), "used longest ago, so dropped");
        assert!(kept.touch(CourseVersionId(1000)).is_some());
    }
}
