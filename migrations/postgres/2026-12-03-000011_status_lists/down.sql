DROP TABLE certificate_status_slots;
