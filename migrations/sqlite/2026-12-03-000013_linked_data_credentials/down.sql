DROP TABLE certificate_linked_data;
