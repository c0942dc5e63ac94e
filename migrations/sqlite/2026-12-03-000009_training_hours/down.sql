DROP TABLE external_trainings;
DROP TABLE session_seats;
DROP TABLE live_sessions;
DROP TABLE program_course_hours;
DROP TABLE program_hour_categories;
ALTER TABLE programs DROP COLUMN reexam_after_days;
ALTER TABLE programs DROP COLUMN ce_minutes;
ALTER TABLE programs DROP COLUMN self_paced_cap_minutes;
ALTER TABLE programs DROP COLUMN training_minutes;
