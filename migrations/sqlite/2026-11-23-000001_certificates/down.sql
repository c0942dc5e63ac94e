DROP TABLE audit_log;
DROP TABLE certificate_courses;
DROP TABLE certificates;
