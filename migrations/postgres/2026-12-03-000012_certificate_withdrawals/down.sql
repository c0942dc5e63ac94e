DROP TABLE certificate_withdrawals;
