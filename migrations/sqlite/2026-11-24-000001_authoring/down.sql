DROP TABLE practical_signoffs;
DROP TABLE program_practicals;
DROP TABLE course_drafts;
DROP TABLE course_editors;
ALTER TABLE course_versions DROP COLUMN published_by_name;
ALTER TABLE course_versions DROP COLUMN change_summary;
